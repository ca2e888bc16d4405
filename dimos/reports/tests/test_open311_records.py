"""The Open311 list's record builder gives byte-for-byte the output of the one it replaced.

A rich fixture: open and closed reports, a deadline and none, summer and winter time stamps
(Athens is +03:00 and +02:00), a public photo, an external body and a department as agency,
text that XML must escape, Greek and English names, coordinates with many decimals.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from dimos.core.testing import SERRES_HOST
from dimos.reports.constants import ReportStatus
from dimos.reports.models import ExternalBody, Report
from dimos.reports.open311.records import request_records
from dimos.reports.open311.render import respond
from dimos.reports.selectors import reports_public
from dimos.reports.services import photo_set_public
from dimos.reports.tests.conftest import jpeg_with_gps, upload
from dimos.reports.tests.open311_helpers import J, _report

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture
def rich(serres, categories, alice, departments):
    body = ExternalBody.objects.create(
        municipality=serres, code="deyas", name_el='ΔΕΥΑ <Σερρών> & "Co"', name_en="", email="d@example.org"
    )
    made = [
        _report(serres, categories, "street-light", photos=[upload(jpeg_with_gps())]),
        _report(serres, categories, "waste-bin", lat=41.0912345678901, lon=23.5498765432109),
        _report(serres, categories, "street-light"),
        _report(serres, categories, "waste-bin"),
    ]
    photo_set_public(photo=made[0].photos.get(), public=True, actor=alice)
    stamps = [
        (
            dt.datetime(2026, 7, 14, 21, 59, 59, 999_999, tzinfo=UTC),
            dt.date(2026, 7, 21),
            ReportStatus.SUBMITTED,
        ),
        (dt.datetime(2026, 1, 5, 22, 30, tzinfo=UTC), None, ReportStatus.IN_PROGRESS),
        (dt.datetime(2026, 10, 25, 0, 59, 59, tzinfo=UTC), dt.date(2026, 10, 25), ReportStatus.FIXED),
        (dt.datetime(2026, 3, 29, 1, 0, 1, tzinfo=UTC), dt.date(2026, 3, 29), ReportStatus.CLOSED),
    ]
    for i, (report, (created, deadline, status)) in enumerate(zip(made, stamps, strict=True)):
        Report.objects.filter(pk=report.pk).update(
            created_at=created,
            updated_at=created + dt.timedelta(hours=i * 5, seconds=0.4),
            deadline=deadline,
            status=status,
            is_public=True,
            status_notes="Σημείωση <b>&amp;</b> 'quoted' \"double\"" if i == 1 else "",
            public_description=f"Περιγραφή {i} ]]> <tag> & λέξεις",
            public_address="Οδός Μεραρχίας & Βενιζέλου <10>" if i else "",
            external_body=body if i == 2 else None,
            department=None if i == 3 else departments["technikes"],
        )
    return made


GOLDEN = Path(__file__).parent / "golden"


def _with_placeholders(records: list[dict], made: list[Report]) -> list[dict]:
    """Ids differ from run to run and database to database: the golden files hold @R<i>@ / @P<i>@."""
    pks = [m.pk for m in made]
    out = []
    for record in records:
        record = dict(record)
        i = pks.index(int(record["service_request_id"]))
        record["service_request_id"] = f"@R{i}@"
        if record["media_url"]:
            photo = made[i].photos.get().pk
            path = f"/reports/{made[i].pk}/photos/{photo}/"
            assert path in record["media_url"]
            record["media_url"] = record["media_url"].replace(path, f"/reports/@R{i}@/photos/@P{i}@/")
        out.append(record)
    return out


@pytest.mark.parametrize("language", ["el", "en"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_list_bytes_equal_the_golden_files(rich, serres, language, fmt, settings):
    """The golden files were written by the reference builder this one replaced (issue 12)."""
    settings.ALLOWED_HOSTS = [SERRES_HOST]
    request = RequestFactory().get("/", HTTP_HOST=SERRES_HOST)
    with translation.override(language):
        records = request_records(request, reports_public(serres).order_by("-created_at"), serres)
        body = respond(fmt, "service_requests", _with_placeholders(records, rich)).content
    assert body == (GOLDEN / f"open311_requests.{language}.{fmt}").read_bytes()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_served_list_equals_the_golden_file(rich, serres, fmt, settings):
    """Through the view and its shared cache, the same bytes (ids put back as placeholders)."""
    settings.ALLOWED_HOSTS = [SERRES_HOST]
    body = (
        Client(HTTP_HOST=SERRES_HOST)
        .get(f"/open311/v2/requests.{fmt}", {**J, "start_date": "2025-12-30", "end_date": "2026-03-29"})
        .content.decode()
    )
    for i, report in enumerate(rich):
        id_json, id_xml = f'"service_request_id":"{report.pk}"', f"<service_request_id>{report.pk}<"
        body = body.replace(id_json, f'"service_request_id":"@R{i}@"').replace(
            id_xml, f"<service_request_id>@R{i}@<"
        )
    golden = (GOLDEN / f"open311_requests.el.{fmt}").read_text()
    # The window holds the March and the January report: the golden list's last two (newest first).
    first = '{"service_request_id":"@R3@"' if fmt == "json" else "<request><service_request_id>@R3@<"
    head = "[" if fmt == "json" else golden[: golden.index("<request>")]
    assert body == head + golden[golden.index(first) :]
