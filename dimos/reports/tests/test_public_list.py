"""The public reports list pages without counting the whole list (issue 12: lists that do not grow)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dimos.reports.models import Report
from dimos.reports.services import Reporter, report_submit
from dimos.reports.tests.conftest import CITY

pytestmark = pytest.mark.django_db


def _reports(serres, categories, citizen, n: int) -> Report:
    """``n`` public reports (one submitted through the service, the rest its copies)."""
    first = report_submit(
        municipality=serres,
        category=categories["waste-bin"],
        lat=CITY[0],
        lon=CITY[1],
        description="Κάδος",
        reporter=Reporter(user=citizen),
    )
    template = Report.objects.get(pk=first.pk)
    template.is_public = True
    template.save(update_fields=["is_public"])
    copies = []
    for i in range(n - 1):
        template.pk = None
        template.tracking_token = f"copy-{i}"
        copies.append(
            Report(**{f.attname: getattr(template, f.attname) for f in Report._meta.concrete_fields})
        )
    Report.objects.bulk_create(copies)
    return template


def test_pages_carry_the_filters_and_the_count(anon_client, serres, categories, citizen):
    _reports(serres, categories, citizen, 27)
    page = anon_client.get("/reports/", {"status": "open"}).content.decode()
    assert "27 αναφορές" in page
    assert page.count('href="/reports/') - page.count('href="/reports/new') >= 25
    link = re.search(r'href="\?([^"]*page=2[^"]*)"', page)
    assert link is not None and "status=open" in link.group(1).replace("&amp;", "&").split("&")
    second = anon_client.get("/reports/", {"status": "open", "page": "2"}).content.decode()
    assert len(re.findall(r"<tr>\s*<td><a href=\"/reports/\d+/\"", second)) == 2
    assert 'rel="next"' not in second and 'rel="prev"' in second


def test_no_count_of_the_whole_list(anon_client, serres, categories, citizen):
    """Every COUNT the page runs is bounded (LIMIT): its cost does not grow with the reports."""
    _reports(serres, categories, citizen, 3)
    with CaptureQueriesContext(connection) as ctx:
        assert anon_client.get("/reports/").status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the page shows how many reports there are"
    assert all("LIMIT" in sql.upper() for sql in counts), counts


def test_beyond_the_cap_says_more_than(anon_client, serres, categories, citizen):
    _reports(serres, categories, citizen, 1002)
    page = anon_client.get("/reports/").content.decode()
    assert re.search(r"Περισσότερες από 1\.?000 αναφορές", page), page[:2000]
    assert 'rel="next"' in page


@pytest.mark.parametrize("bad", ["0", "-3", "abc", "%00", "99999999999"])
def test_bad_page_numbers_fall_back(anon_client, serres, categories, citizen, bad):
    _reports(serres, categories, citizen, 2)
    assert anon_client.get("/reports/", {"page": bad}).status_code == 200
