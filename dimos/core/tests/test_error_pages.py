"""The demo (DEBUG=true) shows the real Greek error pages, not Django's debug pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from dimos.core import error_pages
from dimos.core.management.commands.demo_serve import demo_middleware
from dimos.core.testing import SERRES_HOST, client_for


def _demo(settings: Any) -> None:
    settings.DEBUG = True
    settings.MIDDLEWARE = demo_middleware(django_settings.MIDDLEWARE)


def test_demo_serve_adds_the_real_error_pages_once_and_last() -> None:
    once = demo_middleware(["a", "b"])
    assert once == ["a", "b", error_pages.MIDDLEWARE]
    assert demo_middleware(once) == once


def test_with_debug_on_an_unknown_address_gets_the_greek_404(serres: Any, settings: Any) -> None:
    settings.DEBUG = True
    debug = Client(HTTP_HOST=SERRES_HOST).get("/no-such-page/").content.decode()
    assert "URLconf" in debug  # what the demo showed before: Django's debug page
    _demo(settings)
    response = Client(HTTP_HOST=SERRES_HOST).get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Η σελίδα δεν βρέθηκε" in html and "URLconf" not in html
    assert 'lang="el"' in html and "Δήμος Σερρών" in html  # the site's own layout


def test_with_debug_a_missing_object_gets_the_greek_404(serres: Any, settings: Any) -> None:
    _demo(settings)
    response = Client(HTTP_HOST=SERRES_HOST).get("/reports/999999/")
    assert response.status_code == 404
    assert "Η σελίδα δεν βρέθηκε" in response.content.decode()


def test_with_debug_a_refused_capability_gets_the_greek_403(alice: Any, settings: Any) -> None:
    _demo(settings)
    response = client_for(alice, SERRES_HOST).get("/staff/audit/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Δεν επιτρέπεται" in html and "Στον χώρο υπηρεσιών" in html


def test_a_crash_gets_the_500_page_and_is_logged(serres: Any, caplog: Any) -> None:
    request = RequestFactory().get("/somewhere/", HTTP_HOST=SERRES_HOST)
    middleware = error_pages.RealErrorPagesMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(request, RuntimeError("boom"))
    assert response.status_code == 500
    assert "Κάτι πήγε στραβά" in response.content.decode()
    assert "boom" not in response.content.decode()
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)
