"""Every page carries a Content-Security-Policy without inline script, and a Permissions-Policy."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client


def test_pages_forbid_inline_script_and_allow_the_layout_style_by_nonce(anon_client: Client) -> None:
    response = anon_client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    nonce = re.search(r"'nonce-([^']+)'", directives["style-src"]).group(1)  # type: ignore[union-attr]
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert "frame-ancestors 'none'" in policy


def test_every_response_has_a_permissions_policy(anon_client: Client, alice_client: Client) -> None:
    for response in (anon_client.get("/"), anon_client.get("/healthz"), alice_client.get("/staff/")):
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=(self)" in response["Permissions-Policy"]


def test_no_inline_script_or_style_in_templates() -> None:
    """The policy would block them: every script and style comes from a static file."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders: list[str] = []
    for template in root.rglob("templates/**/*.html"):
        if "pdf" in template.parts:
            continue  # input to the PDF renderer (dimos.core.pdf), never served to a browser
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", text
        ):
            offenders.append(f"{template.relative_to(root)}: {match.group(0)}")
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{template.relative_to(root)}: inline event handler")
        for match in re.finditer(r"<style(?![^>]*nonce=)[^>]*>|\sstyle=\"", text):
            offenders.append(f"{template.relative_to(root)}: {match.group(0).strip()}")
    assert not offenders, "\n".join(offenders)


def test_swagger_ui_keeps_its_own_page(anon_client: Any) -> None:
    assert "Content-Security-Policy" not in anon_client.get("/api/docs/")
