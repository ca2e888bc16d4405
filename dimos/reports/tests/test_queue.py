"""The staff queue: paging keeps every filter, including "all departments" (the administrator's)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dimos.core.constants import StaffRole
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.reports.models import Report
from dimos.reports.services import Reporter, report_submit
from dimos.reports.tests.conftest import CITY

pytestmark = pytest.mark.django_db


def test_page_two_of_all_departments_is_still_all_departments(serres, categories, citizen, departments):
    admin = make_staff("petros", serres, StaffRole.MUNICIPAL_ADMIN, department=departments["ilektrofotismos"])
    first = report_submit(
        municipality=serres,
        category=categories["waste-bin"],
        lat=CITY[0],
        lon=CITY[1],
        description="Κάδος",
        reporter=Reporter(user=citizen),
    )
    # 50 a page: 51 reports of the clerk's department, due earlier, push the first to page 2.
    template = Report.objects.get(pk=first.pk)
    template.deadline = first.deadline - dt.timedelta(days=1)
    copies = []
    for n in range(51):
        template.pk = None
        template.tracking_token = f"copy-{n}"
        template.department = departments["ilektrofotismos"]
        copies.append(
            Report(**{f.attname: getattr(template, f.attname) for f in Report._meta.concrete_fields})
        )
    Report.objects.bulk_create(copies)
    client = client_for(admin, SERRES_HOST)
    page = client.get("/staff/reports/", {"department": "", "status": "open"}).content.decode()
    link = re.search(r'href="\?([^"]*page=2[^"]*)"', page)
    assert link is not None
    query = link.group(1).replace("&amp;", "&")
    assert "department=" in query.split("&") and "status=open" in query.split("&")
    second = client.get(f"/staff/reports/?{query}").content.decode()
    assert f">{first.reference}<" in second


def test_queue_row_shows_address_excerpt_and_age(serres, categories, citizen, departments):
    """A clerk triages from the list: where, what (an excerpt) and how long it has waited."""
    admin = make_staff("petros", serres, StaffRole.MUNICIPAL_ADMIN, department=departments["ilektrofotismos"])
    long_text = "Ο λαμπτήρας στη γωνία αναβοσβήνει όλη τη νύχτα και " * 4
    report = report_submit(
        municipality=serres,
        category=categories["waste-bin"],
        lat=CITY[0],
        lon=CITY[1],
        address="Μεραρχίας 12",
        description=long_text,
        reporter=Reporter(user=citizen),
    )
    Report.objects.filter(pk=report.pk).update(created_at=report.created_at - dt.timedelta(days=3))
    page = client_for(admin, SERRES_HOST).get("/staff/reports/", {"department": ""}).content.decode()
    row = page[page.index(f">{report.reference}<") :]
    row = row[: row.index("</tr>")]
    assert "Μεραρχίας 12" in row
    assert "Ο λαμπτήρας στη γωνία αναβοσβήνει" in row and long_text.strip() not in row and "…" in row
    assert "3 ημέρες" in row
    assert 'class="nowrap">' + categories["waste-bin"].name_el in row
