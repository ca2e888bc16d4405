"""Links in e-mails carry the real scheme, host and port (the demo's port included)."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from dimos.core.links import public_base_url, public_url


@override_settings(DIMOS_PUBLIC_BASE_URL="", DIMOS_PUBLIC_PORT=8000, DEBUG=True)
def test_the_demo_port_is_kept(serres: Any) -> None:
    assert public_url(serres, "/reports/track/abc/") == "http://serres.localhost:8000/reports/track/abc/"


@override_settings(DIMOS_PUBLIC_BASE_URL="", DIMOS_PUBLIC_PORT=0, DEBUG=False)
def test_production_is_https_without_a_port(serres: Any) -> None:
    assert public_base_url(serres) == "https://serres.localhost"


@override_settings(DIMOS_PUBLIC_BASE_URL="", DIMOS_PUBLIC_PORT=443, DEBUG=False)
def test_a_default_port_is_not_written(serres: Any) -> None:
    assert public_base_url(serres) == "https://serres.localhost"


@override_settings(DIMOS_PUBLIC_BASE_URL="https://serres.dimos.gr/", DIMOS_PUBLIC_PORT=8000)
def test_a_configured_base_url_wins(serres: Any) -> None:
    assert public_url(serres, "/x/") == "https://serres.dimos.gr/x/"


@override_settings(DIMOS_PUBLIC_BASE_URL="", DIMOS_PUBLIC_PORT=8000, DEBUG=True)
def test_report_and_appointment_emails_link_to_the_demo_port(serres: Any) -> None:
    from dimos.appointments import links as appointment_links
    from dimos.reports.services import links as report_links

    assert report_links.public_url(serres, "/r/").startswith("http://serres.localhost:8000/")
    assert appointment_links.public_url(serres, "/a/").startswith("http://serres.localhost:8000/")


def test_demo_serve_takes_the_port_it_listens_on(settings: Any, monkeypatch: Any) -> None:
    from django.core import management

    from dimos.core.management.commands import demo_serve

    settings.DIMOS_PUBLIC_PORT = 0
    calls: list[Any] = []
    monkeypatch.setattr(demo_serve, "call_command", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(
        demo_serve.threading, "Thread", lambda **k: type("T", (), {"start": lambda s: None})()
    )
    management.call_command("demo_serve", "127.0.0.1:8123")
    assert settings.DIMOS_PUBLIC_PORT == 8123 and calls == [("runserver", "127.0.0.1:8123")]
