"""The version-keyed page cache and the cached signed-in user never serve stale or foreign data."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from dimos.core.constants import StaffRole
from dimos.core.models import AuditEvent, Department, MunicipalUnit
from dimos.core.pagecache import cached_page
from dimos.core.services import audit_record
from dimos.core.testing import IRAKLEIA_HOST, SERRES_HOST, client_for, make_staff


def _warm(client: Client, path: str) -> str:
    """Two requests: the first sets the CSRF cookie, the second fills the cache."""
    client.get(path)
    return client.get(path).content.decode()


def test_audit_page_shows_a_new_event_at_once(bob: Any, serres: Any) -> None:
    client = client_for(bob, SERRES_HOST)
    audit_record(action="first.event", municipality=serres)
    assert "first.event" in _warm(client, "/staff/audit/")
    audit_record(action="second.event", municipality=serres)
    assert "second.event" in client.get("/staff/audit/").content.decode()


def test_a_write_that_bypasses_signals_is_seen_once_the_version_is_read_again(bob: Any, serres: Any) -> None:
    client = client_for(bob, SERRES_HOST)
    audit_record(action="seen.event", municipality=serres)
    _warm(client, "/staff/audit/")
    # bulk_create sends no signal (nor does another process with its own cache):
    # the remembered version hides it until it expires (VERSION_SECONDS) ...
    AuditEvent.objects.bulk_create([AuditEvent(municipality=serres, action="bulk.event")])
    assert "bulk.event" not in client.get("/staff/audit/").content.decode()
    # ... and then the version, read from the database, has moved on.
    cache.delete(f"dimos:version:audit:{serres.pk}")  # what expiry does
    assert "bulk.event" in client.get("/staff/audit/").content.decode()


def test_each_query_string_and_language_has_its_own_page(bob: Any, serres: Any) -> None:
    client = client_for(bob, SERRES_HOST)
    audit_record(action="alpha.one", municipality=serres)
    audit_record(action="beta.two", municipality=serres)
    filtered = _warm(client, "/staff/audit/?action=alpha")
    assert "alpha.one" in filtered and "beta.two" not in filtered
    assert "beta.two" in client.get("/staff/audit/").content.decode()
    greek = client.get("/staff/audit/").content.decode()
    client.get("/lang/en/?next=/staff/audit/")
    english = client.get("/staff/audit/").content.decode()
    assert english != greek and 'lang="en"' in english


def test_another_staff_member_never_gets_my_cached_page(bob: Any, serres: Any, charlie: Any) -> None:
    audit_record(action="serres.secret", municipality=serres)
    _warm(client_for(bob, SERRES_HOST), "/staff/audit/")
    # Another tenant's administrator, on Serres' host and on their own.
    other = make_staff("irene", charlie.municipality, StaffRole.MUNICIPAL_ADMIN)
    assert client_for(other, SERRES_HOST).get("/staff/audit/").status_code == 404
    own = client_for(other, IRAKLEIA_HOST)
    assert "serres.secret" not in _warm(own, "/staff/audit/")
    # A second Serres administrator gets a page with their own name in the header.
    colleague = make_staff("dora", serres, StaffRole.MUNICIPAL_ADMIN, first_name="Δώρα")
    page = _warm(client_for(colleague, SERRES_HOST), "/staff/audit/")
    assert "Δώρα" in page and "serres.secret" in page


def test_a_pending_message_is_shown_not_a_cached_page(bob: Any, serres: Any, rf: Any) -> None:
    client = client_for(bob, SERRES_HOST)
    _warm(client, "/staff/")
    # What a form view leaves behind with messages.success() before redirecting.
    client.cookies[CookieStorage.cookie_name] = CookieStorage(rf.get("/"))._encode(
        [Message(messages.SUCCESS, "Αποθηκεύτηκε η αλλαγή.")]
    )
    assert "Αποθηκεύτηκε η αλλαγή." in client.get("/staff/").content.decode()


def test_staff_home_follows_units_and_departments(bob: Any, serres: Any) -> None:
    client = client_for(bob, SERRES_HOST)
    _warm(client, "/staff/")
    MunicipalUnit.objects.create(
        municipality=serres, name_el="Λευκώνα", name_en="Lefkonas", boundary=serres.boundary
    )
    assert "Λευκώνα" in client.get("/staff/").content.decode()
    unit = MunicipalUnit.objects.get(name_el="Λευκώνα")
    unit.name_el = "Κάτω Καμήλα"
    unit.save()
    assert "Κάτω Καμήλα" in client.get("/staff/").content.decode()


def test_department_api_follows_changes_and_media_type(bob: Any, serres: Any) -> None:
    client = client_for(bob, SERRES_HOST)
    dept = Department.objects.create(municipality=serres, code="a", name_el="Πρώτο", name_en="First")
    assert client.get("/api/v1/departments/").json()["count"] == 1
    client.get("/api/v1/departments/")
    dept.name_el = "Μετονομασμένο"
    dept.save()
    body = client.get("/api/v1/departments/").json()
    assert body["results"][0]["name_el"] == "Μετονομασμένο"
    dept.delete()
    assert client.get("/api/v1/departments/").json()["count"] == 0
    Department.objects.create(municipality=serres, code="b", name_el="Δεύτερο", name_en="Second")
    pretty = client.get("/api/v1/departments/", HTTP_ACCEPT="application/json; indent=4")
    assert pretty.content.decode().startswith("{\n    ")
    assert client.get("/api/v1/departments/?limit=1&offset=0").json()["results"][0]["code"] == "b"


def test_a_deactivated_user_is_signed_out_at_once(alice: Any, serres: Any) -> None:
    client = client_for(alice, SERRES_HOST)
    assert client.get("/staff/").status_code == 200
    alice.is_active = False
    alice.save()
    assert client.get("/staff/").status_code == 302  # to the sign-in page


def test_a_changed_role_applies_at_once(alice: Any, serres: Any) -> None:
    client = client_for(alice, SERRES_HOST)
    assert client.get("/staff/audit/").status_code == 404  # a clerk
    alice.role = StaffRole.MUNICIPAL_ADMIN
    alice.save()
    assert client.get("/staff/audit/").status_code == 200
    alice.role = ""
    alice.save()
    assert client.get("/staff/").status_code == 404


def test_a_department_change_reaches_the_cached_user(alice: Any, serres: Any, serres_department: Any) -> None:
    client = client_for(alice, SERRES_HOST)
    client.get("/staff/")
    parent = Department.objects.create(
        municipality=serres, code="dioikisi", name_el="Διεύθυνση", name_en="Dir"
    )
    serres_department.parent = parent
    serres_department.save()
    from django.contrib.auth import get_user

    request = client.get("/staff/").wsgi_request
    assert get_user(request).department.parent_id == parent.pk


def test_a_cached_answer_keeps_the_views_headers(bob: Any, serres: Any, rf: Any) -> None:
    calls = []

    @cached_page(version=lambda request: 1)
    def view(request: Any) -> HttpResponse:
        calls.append(1)
        response = HttpResponse(b"a,b\n", content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="x.csv"'
        return response

    def request() -> Any:
        req = rf.get("/staff/x/", HTTP_HOST=SERRES_HOST)
        req.user, req.municipality, req.session = bob, serres, {}
        req.COOKIES[settings.CSRF_COOKIE_NAME] = "s" * 32
        return req

    first, second = view(request()), view(request())
    assert len(calls) == 1  # the second came from the cache
    assert second.content == first.content
    assert second["Content-Type"] == "text/csv; charset=utf-8"
    assert second["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_cached_header_returns_each_page_to_itself(serres: Any, anon_client: Client) -> None:
    # The anonymous header (and the verification page's shell) is cached once; the
    # language switch must still point back to each page.
    from dimos.eservices.codes import code_generate

    unknown = [f"/verify/{code_generate()}/" for _ in range(2)]  # valid codes, no such document
    for path in ("/", "/verify/", "/accessibility/", *unknown):
        html = anon_client.get(path).content.decode()
        assert f"/lang/en/?next={path}" in html and "\x00" not in html


def test_sign_out_works_from_a_cached_header_and_a_cached_page(bob: Any, serres: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST, enforce_csrf_checks=True)
    client.force_login(bob)
    pages = [_warm(client, "/staff/audit/"), client.get("/staff/audit/").content.decode()]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1) for html in pages]
    assert all("\x00" not in html for html in pages)
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert client.get("/staff/audit/").status_code == 302  # signed out: to the sign-in page


def test_a_version_remembered_before_the_commit_is_forgotten_at_commit(
    serres: Any, django_capture_on_commit_callbacks: Any
) -> None:
    key = f"dimos:version:audit:{serres.pk}"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        AuditEvent.objects.create(municipality=serres, action="in.transaction")
        assert cache.get(key) is None  # forgotten at once, for the writer's own next read
        # Another request reads before the commit and remembers the old version.
        cache.set(key, ("old",), 60)
    assert callbacks and cache.get(key) is None
