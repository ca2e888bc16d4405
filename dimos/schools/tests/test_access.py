"""Who may do what in the schools (issue 11): the director's own school, other departments, the Region viewer."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dimos.core.constants import StaffRole
from dimos.core.navigation import staff_nav
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.schools.tests.access import ACCESS, OWN_SCHOOL
from dimos.schools.tests.factories import world
from dimos.schools.tests.isolation import cases

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
FORBIDDEN = "Δεν επιτρέπεται"


def _request(client, case):
    url = reverse(case.url_name, kwargs=case.kwargs) + case.query
    if case.method == "GET":
        return client.get(url)
    return getattr(client, case.method.lower())(url, data=case.data or {})


@pytest.fixture
def w(serres):
    return world(serres)


def test_a_director_does_on_their_own_school_what_the_table_says(serres) -> None:
    """The role walk's director directs none of its schools; here the school's own director walks."""
    walked = cases(SimpleNamespace(serres=serres))
    director = get_user_model().objects.get(username="iso-director")
    client = client_for(director, SERRES_HOST)
    wrong = []
    for case in walked:
        rows = [ACCESS[case.url_name], OWN_SCHOOL.get(case.url_name)]
        allowed = set().union(*((r.write if case.method in UNSAFE else r.read) for r in rows if r))
        status = _request(client, case).status_code
        if StaffRole.SCHOOL_DIRECTOR in allowed and status in (403, 404):
            wrong.append(f"refused {case.method} {case.url_name} ({status})")
        elif StaffRole.SCHOOL_DIRECTOR not in allowed and status != 403:
            wrong.append(f"not refused {case.method} {case.url_name} ({status})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", [StaffRole.CLERK, StaffRole.DEPARTMENT_HEAD, StaffRole.SENSOR_OPERATOR])
def test_other_departments_get_403_on_schools_pages(w, serres, role) -> None:
    """Before: OFFICE_ROLES let every clerk and head of the municipality into the schools office."""
    user = make_staff(f"other-{role}", serres, role)
    client = client_for(user, SERRES_HOST)
    for name, kwargs in [
        ("schools:overview", {}),
        ("schools:asset_list", {}),
        ("schools:loans", {}),
        ("schools:loan_pdf", {"pk": w.loan.pk}),
        ("schools:school_detail", {"pk": w.school.pk}),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 403, name
        assert FORBIDDEN in response.content.decode()
    response = client.post(reverse("schools:asset_status", args=[w.asset.pk]), {"status": "retired"})
    assert response.status_code == 403
    assert not [item for item in staff_nav(user) if item.url_name.startswith("schools:")]


def test_the_education_officer_runs_the_schools(w, serres) -> None:
    officer = make_staff("edu", serres, StaffRole.EDUCATION_OFFICER)
    client = client_for(officer, SERRES_HOST)
    assert client.get(reverse("schools:loans")).status_code == 200
    response = client.post(reverse("schools:asset_status", args=[w.asset.pk]), {"status": "retired"})
    assert response.status_code == 302
    assert [item.url_name for item in staff_nav(officer) if item.url_name.startswith("schools:")] == [
        "schools:overview"
    ]


def test_the_region_viewer_never_sees_pupils_or_guardians(w, region_viewer) -> None:
    """Before: it listed loans and downloaded the agreement PDF with pupil and guardian names."""
    client = client_for(region_viewer, SERRES_HOST)
    for name, kwargs in [
        ("schools:loans", {}),
        ("schools:loan_pdf", {"pk": w.loan.pk}),
        ("schools:loan_return", {"pk": w.loan.pk}),
        ("schools:asset_list", {}),
        ("schools:asset_export_csv", {}),
        ("schools:repair_detail", {"pk": w.repair.pk}),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 403, name
        assert w.loan.borrower_name not in response.content.decode(), name


def test_the_region_viewer_is_shown_no_write_control(w, region_viewer) -> None:
    """Before: write forms on every page, and submitting one gave a debug «Page not found»."""
    client = client_for(region_viewer, SERRES_HOST)
    for name, kwargs in [
        ("schools:overview", {}),
        ("schools:catalogue", {}),
        ("schools:standards", {}),
        ("schools:proposals", {}),
        ("schools:proposal_detail", {"pk": w.proposal.pk}),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        html = response.content.decode()
        html = html[html.index("<main") : html.index("</main>")]  # the page, not the sign-out button
        assert response.status_code == 200, name
        assert 'method="post"' not in html, name
        for write_url in ("schools:school_create", "schools:asset_import", "schools:licences"):
            assert reverse(write_url) not in html, (name, write_url)
        assert reverse("schools:loans") not in html, name
    for name, kwargs, data in [
        ("schools:catalogue", {}, {"code": "x"}),
        ("schools:proposals", {}, {"title": "x"}),
        ("schools:proposal_status", {"pk": w.proposal.pk}, {"status": "draft"}),
    ]:
        response = client.post(reverse(name, kwargs=kwargs), data)
        assert response.status_code == 403, name
        assert FORBIDDEN in response.content.decode()
    assert [item.url_name for item in staff_nav(region_viewer) if item.url_name.startswith("schools:")] == [
        "schools:overview"
    ]


def test_schools_templates_have_no_inline_script_or_style() -> None:
    """The Content-Security-Policy has no 'unsafe-inline': scripts and styles are static files."""
    root = Path(__file__).resolve().parents[1] / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        if "notifications" in path.parts or "pdf" in path.parts:
            continue  # e-mails and PDF sources (dimos.core.pdf), not pages
        text = path.read_text()
        for bad in ("<script>", "<style", "style=", "onclick=", "onload=", "onsubmit=", "onchange="):
            if bad in text:
                offenders.append(f"{path.name}: {bad}")
    assert not offenders


def test_nul_bytes_in_schools_input_are_a_400_not_a_500(w, bob) -> None:
    """PostgreSQL refuses NUL in a query (DataError); the door refuses it first on every schools input."""
    client = client_for(bob, SERRES_HOST)
    for url in [
        reverse("schools:asset_list") + "?q=%00",
        reverse("schools:asset_list") + "?status=%00",
        reverse("schools:loans") + "?state=%00",
        reverse("schools:proposal_detail", args=[w.proposal.pk]) + "?v=%00",
    ]:
        assert client.get(url).status_code == 400, url
    response = client.post(reverse("schools:audit", args=[w.school.pk]), {"tags": "SER\x00"})
    assert response.status_code == 400
