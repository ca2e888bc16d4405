"""Pages render from the database: a change is visible on the next request.

The only cached thing of the app is the public verification result, keyed by
the municipality's ``documents`` data version; it never holds personal data.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import re
import socket
import uuid
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dimos.core.models import Department
from dimos.core.testing import SERRES_HOST, client_for
from dimos.core.versions import data_version
from dimos.eservices import services
from dimos.eservices.constants import DOCUMENTS_TOPIC, Status
from dimos.eservices.models import Application, IssuedDocument, Service, VerificationLookup
from dimos.eservices.tests.conftest import make_submitted


def _issue(alice: Any, application: Application) -> IssuedDocument:
    for status in (Status.IN_REVIEW, Status.APPROVED):
        services.application_transition(
            application_id=application.pk,
            municipality=application.municipality,
            actor=alice,
            to_status=status,
        )
    return IssuedDocument.objects.get(application=application)


def test_revoking_a_document_is_visible_on_the_next_lookup(
    alice: Any, anon_client: Any, submitted: Application
) -> None:
    document = _issue(alice, submitted)
    page_url = reverse("verify:document", args=[document.code])
    api_url = reverse("services-api:verify", args=[document.code])
    for _ in range(2):  # the second answer comes from the shared cache
        assert "Έγκυρο έγγραφο" in anon_client.get(page_url).content.decode()
        assert anon_client.get(api_url).json()["status"] == "valid"
    before = data_version(document.municipality_id, DOCUMENTS_TOPIC)
    services.document_revoke(
        document_id=document.pk, municipality=document.municipality, actor=alice, reason="Λάθος διεύθυνση"
    )
    assert data_version(document.municipality_id, DOCUMENTS_TOPIC) > before
    html = anon_client.get(page_url).content.decode()
    assert "Το έγγραφο ανακλήθηκε" in html and "Έγκυρο έγγραφο" not in html
    assert anon_client.get(api_url).json()["status"] == "revoked"
    # Every lookup is logged, cached or not.
    results = list(
        VerificationLookup.objects.filter(document=document).order_by("pk").values_list("how", "result")
    )
    assert results.count(("lookup", "valid")) == 2 and results[-2:] == [
        ("lookup", "revoked"),
        ("api", "revoked"),
    ]


def test_a_reissue_is_visible_on_the_next_lookup_of_the_old_code(
    alice: Any, alice_client: Any, anon_client: Any, submitted: Application
) -> None:
    old = _issue(alice, submitted)
    url = reverse("verify:document", args=[old.code])
    assert "Έγκυρο έγγραφο" in anon_client.get(url).content.decode()
    alice_client.post(
        reverse("services:staff_application_action", args=[submitted.pk]), {"action": "reissue"}
    )
    html = anon_client.get(url).content.decode()
    assert "Το έγγραφο αντικαταστάθηκε" in html and "Νεότερο έγγραφο" in html


def test_the_verification_cache_holds_no_personal_data(
    alice: Any, anon_client: Any, citizen: Any, submitted: Application
) -> None:
    citizen.amka = "01017201235"
    citizen.phone = "6912345678"
    citizen.save(update_fields=["amka", "phone"])
    document = _issue(alice, submitted)
    anon_client.get(reverse("verify:document", args=[document.code]))
    anon_client.get(reverse("services-api:verify", args=[document.code]))
    # Our own test process's local-memory cache: its values are pickles we wrote.
    entries = {key: pickle.loads(value) for key, value in cache._cache.items()}  # type: ignore[attr-defined]  # noqa: S301
    verify = [value for key, value in entries.items() if ":services:verify:" in key]
    assert verify, "the lookup should have left a cached result to inspect"
    text = repr(list(entries.values()))
    for personal in (citizen.afm, citizen.amka, citizen.email, citizen.phone, citizen.last_name, "Μεραρχίας"):
        assert personal not in text


def _queue(client: Any, query: str) -> str:
    return client.get(reverse("services:staff_queue") + query).content.decode()


def test_a_new_application_appears_in_the_queue_and_its_counts_at_once(
    alice_client: Any, serres: Any, residence: Service, citizen: Any, submitted: Application
) -> None:
    page = _queue(alice_client, "?department=all&view=open")
    assert "Ανοικτές (1)" in page and page.count('href="/staff/services/applications/') == 1
    second = make_submitted(serres, residence, citizen)
    page = _queue(alice_client, "?department=all&view=open")
    assert "Ανοικτές (2)" in page and f'href="/staff/services/applications/{second.pk}/"' in page


def test_a_transition_and_a_new_department_are_visible_at_once(
    alice: Any, alice_client: Any, bob: Any, serres: Any, submitted: Application
) -> None:
    services.application_transition(
        application_id=submitted.pk, municipality=serres, actor=alice, to_status=Status.IN_REVIEW
    )
    assert f">{Status.IN_REVIEW.label}</span>" in _queue(alice_client, "?department=all")
    new = Department.objects.create(
        municipality=serres, code="new-test", name_el="Νέο Τμήμα Δοκιμής", name_en="New"
    )
    admin = client_for(bob, SERRES_HOST)  # every department: the municipal administrator
    assert "Νέο Τμήμα Δοκιμής" in _queue(admin, "?department=all")
    assert admin.get(reverse("services:staff_queue") + f"?department={new.pk}").status_code == 200


def test_the_queue_pager_keeps_every_filter(
    alice_client: Any, bob: Any, serres: Any, serres_department: Department, residence: Service, citizen: Any
) -> None:
    """Page 2 of "all departments" used to drop the department and show the clerk's own."""
    other = Department.objects.create(
        municipality=serres, code="esoda", name_el="Τμήμα Εσόδων", name_en="Revenue"
    )
    start = timezone.localdate() + dt.timedelta(days=30)
    Application.objects.bulk_create(
        Application(
            municipality=serres,
            service=residence,
            citizen=citizen,
            status=Status.SUBMITTED,
            department=serres_department if i < 4 else other,
            deadline=start + dt.timedelta(days=i),
        )
        for i in range(30)
    )
    admin = client_for(bob, SERRES_HOST)  # "all departments" is the administrator's view
    first = _queue(admin, "?department=all&view=open")
    links = re.findall(r'href="(\?[^"]*)" rel="next"', first)
    assert len(links) == 1
    query = links[0].replace("&amp;", "&")
    assert "department=all" in query and "view=open" in query and "page=2" in query
    second = _queue(admin, query)
    assert second.count('href="/staff/services/applications/') == 5  # 30 rows, 25 a page
    # The clerk's own department alone has four rows: one page, no pager.
    assert 'rel="next"' not in _queue(alice_client, "?view=open")


def _redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1):
            return url
    except OSError:
        return None


def test_revocation_is_visible_through_a_shared_redis_cache(
    settings: Any, alice: Any, anon_client: Any, submitted: Application
) -> None:
    """The production shape: several processes share Redis; the version in the database moves the key."""
    url = _redis_url()
    if url is None:
        pytest.skip("needs Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379/15)")
    prefix = f"test-freshness-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    document = _issue(alice, submitted)
    url_page = reverse("verify:document", args=[document.code])
    try:
        assert "Έγκυρο έγγραφο" in anon_client.get(url_page).content.decode()
        version = data_version(document.municipality_id, DOCUMENTS_TOPIC)
        key = f"services:verify:{document.municipality_id}:{version}:{document.code}"
        assert cache.get(key) is not None  # the entry really is in Redis
        services.document_revoke(
            document_id=document.pk, municipality=document.municipality, actor=alice, reason="Λάθος"
        )
        assert "Το έγγραφο ανακλήθηκε" in anon_client.get(url_page).content.decode()
    finally:  # only this test's keys: the database may be shared
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        for stored in client.scan_iter(f"{prefix}:*"):
            client.delete(stored)
