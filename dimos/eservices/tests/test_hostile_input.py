"""Hostile input on every e-services URL (issue 11): NUL bytes and deeply nested JSON are a 400.

A NUL byte reaches PostgreSQL as ``DataError`` (a 500) and SQLite accepts it, so
these tests matter most on PostgreSQL (``DATABASE_URL``). The core middleware and
JSON parser answer them; here every URL of this app is walked through them.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, get_resolver, reverse

from dimos.core.testing import SERRES_HOST, client_for
from dimos.eservices.models import Application

pytestmark = pytest.mark.django_db

NAMESPACES = ("services", "services-api", "verify")
DEEP = "[" * 5000 + "]" * 5000


def _patterns(namespace: str) -> list[URLPattern]:
    resolver = get_resolver()
    _prefix, sub = resolver.namespace_dict[namespace]
    return [p for p in sub.url_patterns if isinstance(p, URLPattern) and p.name]


def _urls(application: Application) -> list[str]:
    """Every URL of the app, with real ids where the pattern takes them."""
    document = application.documents.first()
    attachment = application.attachments.first()
    values = {
        "pk": application.pk,
        "attachment_pk": attachment.pk if attachment else 1,
        "document_pk": document.pk if document else 1,
        "slug": application.service.slug,
        "code": "ABCD-EFGH",
    }
    urls = []
    for namespace in NAMESPACES:
        for pattern in _patterns(namespace):
            kwargs = {name: values[name] for name in pattern.pattern.regex.groupindex}
            urls.append(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs))
    return urls


def _is_problem(response: Any) -> bool:
    return response["Content-Type"].startswith("application/problem+json")


def test_the_walk_covers_every_url_of_the_app(submitted: Application) -> None:
    assert len(_urls(submitted)) == sum(len(_patterns(n)) for n in NAMESPACES) >= 25


@pytest.mark.parametrize("who", ["bob", "citizen", "anonymous"])
def test_a_nul_byte_in_any_query_value_is_a_400(who: str, request: Any, submitted: Application) -> None:
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user, SERRES_HOST)
    for url in _urls(submitted):
        response = client.get(url + "?start=%00&end=2026-01-01&view=%00&department=%00&page=%00")
        assert response.status_code == 400, (url, response.status_code)
        if url.startswith("/api/"):
            assert _is_problem(response), url


def test_a_nul_byte_in_a_path_value_is_a_400(citizen: Any, submitted: Application) -> None:
    client = client_for(citizen, SERRES_HOST)
    for url in ("/services/%00/", "/services/%00/apply/", "/verify/%00/", "/api/v1/services/verify/%00/"):
        assert client.get(url).status_code == 400, url


def test_a_nul_byte_in_any_form_field_is_a_400(bob: Any, alice: Any, submitted: Application) -> None:
    """Every form this app receives, as someone who may post it: nothing stored, no 500."""
    before = submitted.events.count()
    client = client_for(alice, SERRES_HOST)
    fields = {
        "action": "note",
        "comment": "σημείωση\x00",
        "reason": "λόγος\x00",
        "subject": "θέμα\x00",
        "correspondent": "x",
        "direction": "in",
        "to_status": "in_review",
        "code": "\x00",
        "father_name": "Γεώργιος\x00",
    }
    for url in _urls(submitted):
        response = client.post(url, fields)
        assert response.status_code == 400, (url, response.status_code)
    assert submitted.events.count() == before


def test_deeply_nested_json_is_refused_on_every_post_endpoint(
    alice: Any, citizen: Any, submitted: Application
) -> None:
    """The core parser refuses it with problem details: never a RecursionError (500).

    (The submit endpoint takes no body and never parses one.)
    """
    citizen_api = client_for(citizen, SERRES_HOST)
    staff_api = client_for(alice, SERRES_HOST)
    doors = [
        (citizen_api, reverse("services-api:my_applications")),
        (staff_api, reverse("services-api:staff_transition", kwargs={"pk": submitted.pk})),
    ]
    for client, url in doors:
        response = client.post(url, DEEP, content_type="application/json")
        assert response.status_code == 400 and _is_problem(response), (url, response.status_code)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
