"""Every page at 320 CSS px (WCAG 1.4.10, reflow): nothing scrolls sideways.

The walk covers every page there is, found in the URL resolver:

* every public page (anonymous, or as a demo citizen for the citizen's own pages), with
  demo objects for the pages that show one (``PUBLIC_KWARGS``); a public URL that is
  neither walked nor listed in ``NOT_PAGES`` with a reason fails the suite, so a new page
  cannot slip past;
* every staff page, from the same inventory the role walk uses (each app's
  ``tests/isolation.py`` cases, checked against ``tests/access.py``), as a member of staff
  whose role may read it, plus the demo's own reports, devices, schools, assets and
  proposals (real names, real long identifiers); the staff home as every role.

A page fails when ``document.documentElement.scrollWidth > clientWidth``; the test lists
every offending page with the innermost elements that stick out. Tables scroll inside
their own labelled box (``.table-scroll``), which is allowed.
"""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import get_resolver, reverse

from dimos.core.constants import StaffRole
from dimos.core.isolation import _is_staff_callback, _walk, staff_url_names
from dimos.core.models import Municipality
from dimos.core.tenancy import host_map_invalidate
from dimos.core.testing import make_municipality, make_staff
from dimos.core.testing_browser import in_thread, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# If the page scrolls sideways: the innermost elements reaching past the viewport's right edge.
OVERFLOW = """() => {
  const root = document.documentElement, w = root.clientWidth;
  if (root.scrollWidth <= w) { return null; }
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > w + 1)) {
      out.push(el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined ? "." + el.className : "")
        + " " + Math.round(r.right));
    }
  }
  return {width: root.scrollWidth, culprits: out.slice(0, 5)};
}"""

# The columns named (by their header) whose first-row cell is not fully inside the viewport.
KEY_COLUMNS = """(names) => {
  const table = document.querySelector("main table"), w = document.documentElement.clientWidth;
  const heads = [...table.querySelectorAll("thead th")].map(th => th.textContent.trim());
  const cells = table.querySelector("tbody tr").children;
  return names.filter(name => {
    const r = cells[heads.indexOf(name)].getBoundingClientRect();
    return !(r.width > 0 && r.left >= 0 && r.right <= w);
  });
}"""

# Public URLs that are not pages a person reads: what each answers instead.
NOT_PAGES = {
    "core:switch_language": "redirect back to the page",
    "set_language": "POST: Django's language switch",
    "javascript-catalog": "JavaScript",
    "healthz": "JSON for load balancers",
    "metrics": "Prometheus text",
    "api-schema": "OpenAPI YAML",
    "api-docs": "Swagger UI (third-party page, excluded from axe as well)",
    "sensors-readings": "JSON ingest endpoint",
    "accounts:logout": "POST: sign out",
    "accounts:provider_start": "redirect to the identity provider",
    "accounts:provider_callback": "redirect back from the identity provider",
    "accounts:totp": "staff second step: needs a password sign-in in progress (redirects otherwise)",
    "accounts:totp_enrol": "staff second step: needs a password sign-in in progress (redirects otherwise)",
    "accounts:email_verify": "one-time link: verifies and redirects",
    "accounts:phone_verify": "needs a code sent by SMS first (redirects otherwise)",
    "reports:nearby": "htmx fragment of the report form",
    "reports:streets": "JSON suggestions",
    "reports:suggest": "htmx fragment of the report form",
    "reports:map_data": "GeoJSON",
    "reports:support": "POST: support a report",
    "reports:public_photo": "image",
    "reports:confirm": "one-time link: confirms and redirects",
    "services:application_receipt_pdf": "PDF",
    "services:my_attachment": "file download",
    "services:my_document": "PDF",
    "services:apply": "POST: starts a draft (the form is services:my_application)",
    "services:application_edit": "drafts only: the demo's draft is walked as services:my_application",
    "opendata:catalogue": "DCAT-AP catalogue (Turtle, RDF/XML, JSON-LD)",
    "opendata:catalogue-format": "DCAT-AP catalogue (Turtle, RDF/XML, JSON-LD)",
    "opendata:download": "dataset file (CSV, JSON, GeoJSON)",
    "opendata:download-version": "dataset file (CSV, JSON, GeoJSON)",
    "ckan:ckan-action": "CKAN Action API (JSON)",
    "ckan:ckan-action-unversioned": "CKAN Action API (JSON)",
}
WALK_HOST = "127.0.0.1"
API_NAMESPACES = ("core-api:", "appointments-api:", "services-api:", "ngsild:", "open311:")


def _public_url_names() -> set[str]:
    return {
        name
        for name, callback in _walk(get_resolver().url_patterns)
        if not name.startswith(("admin:", *API_NAMESPACES)) and not _is_staff_callback(callback)
    }


def _public_pages(serres: Municipality) -> tuple[dict[str, str], dict[str, str]]:
    """(anonymous pages, the demo citizen's pages): URL name → path, with demo objects."""
    from django.contrib.auth import get_user_model

    from dimos.appointments import links
    from dimos.appointments.models import Appointment, AppointmentType, ServicePoint
    from dimos.eservices.models import Application, IssuedDocument, Service
    from dimos.opendata.models import Dataset
    from dimos.reports.models import Report
    from dimos.sensors.models import Device

    maria = get_user_model().objects.get(username="maria.papadopoulou")
    report = Report.objects.filter(municipality=serres, is_public=True).order_by("-pk").first()
    issued = IssuedDocument.objects.filter(application__citizen=maria).first()
    application = Application.objects.filter(citizen=maria).order_by("pk").first()
    appointment = Appointment.objects.filter(citizen=maria).first()
    point = ServicePoint.objects.filter(municipality=serres).first()
    kind = AppointmentType.objects.filter(municipality=serres).first()
    service = Service.objects.filter(municipality=serres, is_active=True).order_by("pk").first()
    station = (
        Device.objects.filter(municipality=serres, type__code="AirQualityObserved").order_by("pk").first()
    )
    slots = {"point_pk": point.pk, "type_pk": kind.pk}
    dataset = Dataset.objects.filter(municipality=serres).order_by("pk").first()
    anonymous = {
        "core:home": "/",
        "core:accessibility": reverse("core:accessibility"),
        "core:privacy": reverse("core:privacy"),
        "accounts:login": reverse("accounts:login"),
        "accounts:dev_authorize": reverse("accounts:dev_authorize"),
        "verify:lookup": reverse("verify:lookup"),
        "verify:document": reverse("verify:document", kwargs={"code": issued.code}),
        "services:catalogue": reverse("services:catalogue"),
        "services:service_detail": reverse("services:service_detail", kwargs={"slug": service.slug}),
        "appointments:index": reverse("appointments:index"),
        "appointments:slots": reverse("appointments:slots", kwargs=slots),
        "appointments:manage": reverse(
            "appointments:manage", kwargs={"token": links.manage_token(appointment)}
        ),
        "appointments:cancel": reverse(
            "appointments:cancel", kwargs={"token": links.manage_token(appointment)}
        ),
        "sensors:parking": reverse("sensors:parking"),
        "sensors:air_quality": reverse("sensors:air_quality"),
        "sensors:air_quality_station": reverse("sensors:air_quality_station", kwargs={"code": station.code}),
        "sensors:noise": reverse("sensors:noise"),
        "reports:public_list": reverse("reports:public_list"),
        "reports:new": reverse("reports:new"),
        "reports:stats": reverse("reports:stats"),
        "reports:detail": reverse("reports:detail", kwargs={"pk": report.pk}),
        "reports:receipt": reverse("reports:receipt", kwargs={"token": report.tracking_token}),
        "reports:track": reverse("reports:track", kwargs={"token": report.tracking_token}),
        "opendata:index": reverse("opendata:index"),
        "dashboards:figures": reverse("dashboards:figures"),
        "opendata:dataset": reverse("opendata:dataset", kwargs={"name": dataset.name}),
    }
    # The unsubscribe page asks before it acts, whatever the token.
    anonymous["reports:unsubscribe"] = reverse("reports:unsubscribe", kwargs={"token": "reflow-walk"})
    citizen = {
        "accounts:account": reverse("accounts:account"),
        "accounts:email": reverse("accounts:email"),
        "accounts:phone": reverse("accounts:phone"),
        "appointments:mine": reverse("appointments:mine"),
        "appointments:detail": reverse("appointments:detail", kwargs={"reference": appointment.reference}),
        "appointments:confirm": reverse("appointments:confirm", kwargs=slots),
        "appointments:reschedule": reverse(
            "appointments:reschedule", kwargs={"token": links.manage_token(appointment)}
        ),
        "services:my_applications": reverse("services:my_applications"),
        "services:my_application": reverse("services:my_application", kwargs={"pk": application.pk}),
        "services:application_review": reverse("services:application_review", kwargs={"pk": application.pk}),
        "services:application_receipt": reverse(
            "services:application_receipt", kwargs={"pk": application.pk}
        ),
        "reports:mine": reverse("reports:mine"),
    }
    return anonymous, citizen


def _demo_staff_pages(serres: Municipality) -> dict[str, str]:
    """Staff pages named in the issue, on the demo's own objects (long names, real identifiers)."""
    from dimos.reports.models import Report
    from dimos.schools.models import Asset, Proposal, School
    from dimos.sensors.models import Device

    report = Report.objects.filter(municipality=serres).order_by("-pk").first()
    device = Device.objects.filter(municipality=serres).order_by("pk").first()
    school = School.objects.filter(municipality=serres).order_by("pk").first()
    asset = Asset.objects.filter(municipality=serres).order_by("pk").first()
    proposal = Proposal.objects.filter(municipality=serres).order_by("pk").first()
    pages = {
        "demo report": reverse("reports:staff_detail", kwargs={"pk": report.pk}),
        "demo device": reverse("sensors:device_detail", kwargs={"pk": device.pk}),
        "demo school": reverse("schools:school_detail", kwargs={"pk": school.pk}),
        "demo asset": reverse("schools:asset_detail", kwargs={"pk": asset.pk}),
        "demo proposals": reverse("schools:proposals"),
    }
    if proposal is not None:
        pages["demo proposal"] = reverse("schools:proposal_detail", kwargs={"pk": proposal.pk})
    return pages


@pytest.fixture
def demo_city(db: Any) -> Any:
    call_command("demo_data", stdout=io.StringIO())
    serres = Municipality.objects.get(slug="serres")
    assert "localhost" in serres.hostnames
    host_map_invalidate(serres.pk)
    return serres


def _staff_cases(serres: Municipality) -> tuple[list[Any], dict[str, Any]]:
    """The role walk's inventory (GET cases) and one member of staff per role.

    Each app's isolation cases create their objects with fixed codes, which the demo city
    already uses; so they are made in a municipality of their own, served at 127.0.0.1
    (the demo's Serres keeps ``localhost``), with the demo's Serres as the other tenant.
    """
    from dimos.core.testing import _CITY, _SQUARE
    from dimos.core.tests.factories import DepartmentFactory, MunicipalUnitFactory
    from dimos.core.tests.test_isolation import _all_cases

    serres.hostnames = [host for host in serres.hostnames if host != WALK_HOST]
    serres.save(update_fields=["hostnames"])
    walk = make_municipality(
        "reflow",
        WALK_HOST,
        boundary=_SQUARE,
        name_el="Δήμος Δοκιμής",
        name_en="Test Municipality",
        code="RFL",
    )
    host_map_invalidate()
    MunicipalUnitFactory(municipality=walk, name_el="Σερρών", name_en="Serres", boundary=_CITY)
    department = DepartmentFactory(
        municipality=walk, code="dimotologio", name_el="Τμήμα Δημοτολογίου", name_en="Civil Registry"
    )
    ctx = SimpleNamespace(
        serres=walk,
        irakleia=serres,
        serres_department=department,
        alice=make_staff("reflow-alice", walk, StaffRole.CLERK, department=department),
        bob=make_staff("reflow-bob", walk, StaffRole.MUNICIPAL_ADMIN, is_staff=True),
    )
    cases = [case for case in _all_cases(ctx) if case.method == "GET"]
    users = {}
    for role in StaffRole.values:
        municipality = None if role == StaffRole.REGION_VIEWER else walk
        users[role] = make_staff(f"reflow-{role}", municipality, role, department=department)
    return cases, users


# Who walks a staff page: the first of these the access table allows (the administrator sees
# the most columns and buttons; the others only where the page is theirs alone).
ROLE_ORDER = [
    StaffRole.MUNICIPAL_ADMIN,
    StaffRole.DEPARTMENT_HEAD,
    StaffRole.SENSOR_OPERATOR,
    StaffRole.EDUCATION_OFFICER,
    StaffRole.SCHOOL_DIRECTOR,
    StaffRole.CLERK,
    StaffRole.REGION_VIEWER,
]


def _look(page: Any, url: str, label: str, problems: list[str]) -> bool:
    """Open ``url`` at 320 px; record a sideways scroll or a page that does not answer 200.

    Returns False when the answer is not an HTML page (a file, JSON), which is not walked.
    """
    from playwright.sync_api import Error

    try:
        response = page.goto(url, wait_until="load")
    except Error as exc:  # a download (PDF, CSV, XLSX) is not a page
        if "Download is starting" in str(exc):
            return False
        problems.append(f"{label}: {str(exc).splitlines()[0]}")
        return True
    if page.evaluate("document.contentType") != "text/html":
        return False
    if response.status != 200:
        problems.append(f"{label}: {response.status} at {page.url}")
        return True
    found = page.evaluate(OVERFLOW)
    if found:
        problems.append(f"{label} ({page.url}): {found['width']}px wide: {found['culprits']}")
    return True


def test_every_page_reflows_at_320px(live_server: Any, demo_city: Any, open_browser: Any) -> None:
    from django.contrib.auth import get_user_model

    from dimos.core.tests.test_role_walk import declared_access

    anonymous, citizen = in_thread(lambda: _public_pages(demo_city))
    unwalked = _public_url_names() - set(anonymous) - set(citizen) - set(NOT_PAGES)
    assert not unwalked, (
        f"public pages the 320 px walk does not reach (add them or say why): {sorted(unwalked)}"
    )
    cases, users = in_thread(lambda: _staff_cases(demo_city))
    demo_pages = in_thread(lambda: _demo_staff_pages(demo_city))
    table = declared_access()
    assert staff_url_names() <= {case.url_name for case in cases} | {
        name for name in staff_url_names() if not table[name].read
    }, "every staff page that someone may read has a GET case in the role walk's inventory"

    page = open_browser()
    page.set_viewport_size({"width": 320, "height": 720})
    problems: list[str] = []
    walked: list[str] = []

    for name, path in anonymous.items():
        if _look(page, live_server.url + path, name, problems):
            walked.append(name)

    maria = in_thread(lambda: get_user_model().objects.get(username="maria.papadopoulou"))
    login_as(page, live_server.url, maria)
    for name, path in citizen.items():
        if _look(page, live_server.url + path, f"{name} (citizen)", problems):
            walked.append(name)

    # «Οι αιτήσεις μου» keeps its key columns on a phone: submitted and deadline in sight.
    page.goto(live_server.url + citizen["services:my_applications"])
    hidden = page.evaluate(KEY_COLUMNS, ["Υποβολή", "Προθεσμία"])
    assert not hidden, f"«Οι αιτήσεις μου» at 320px: out of sight {hidden}"

    by_role: dict[str, list[Any]] = {}
    for case in cases:
        readers = table[case.url_name].read
        role = next((r for r in ROLE_ORDER if r in readers), None)
        if role is not None:
            by_role.setdefault(role, []).append(case)
    staff_url = live_server.url.replace("localhost", WALK_HOST)
    for role in ROLE_ORDER:
        page.context.clear_cookies()
        login_as(page, staff_url, users[role])
        if _look(page, staff_url + reverse("core:staff_home"), f"core:staff_home ({role})", problems):
            walked.append(f"core:staff_home ({role})")
        for case in by_role.get(role, []):
            url = staff_url + reverse(case.url_name, kwargs=case.kwargs) + case.query
            if _look(page, url, f"{case.url_name} ({role})", problems):
                walked.append(case.url_name)

    page.context.clear_cookies()
    admin = in_thread(lambda: get_user_model().objects.get(username="admin.serres"))
    login_as(page, live_server.url, admin)
    for label, path in demo_pages.items():
        if _look(page, live_server.url + path, f"{label} (admin.serres)", problems):
            walked.append(label)

    # The pages the issue named are all in the walk.
    for named in (
        "reports:detail",
        "reports:receipt",
        "accounts:account",
        "services:my_applications",
        "demo report",
        "demo device",
        "demo school",
        "demo asset",
        "demo proposals",
        "demo proposal",
        "sensors:device_detail",
        "schools:school_detail",
        "schools:asset_detail",
        "schools:proposals",
        "schools:proposal_detail",
        "reports:staff_detail",
    ):
        assert named in walked, f"{named} was not walked"
    assert len(walked) >= 90
    assert not problems, f"{len(problems)} of {len(walked)} pages scroll sideways at 320px:\n" + "\n".join(
        problems
    )
