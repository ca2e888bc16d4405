"""The header menu: folds behind a button (without JavaScript too), staff get a menu of their own,
and the staff home shows each role only its own cards and figures."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from dimos.core.constants import StaffRole
from dimos.core.navigation import menu
from dimos.core.testing import SERRES_HOST, client_for, make_staff


def _main_nav(html: str) -> str:
    found = re.search(r'<nav class="main-nav[^"]*"(.*?)</nav>', html, re.S)
    assert found, "no main menu"
    return found.group(0)


def _hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_the_citizen_menu_is_a_details_that_works_without_javascript(anon_client: Any) -> None:
    nav = _main_nav(anon_client.get("/").content.decode())
    assert 'aria-label="Κύριο μενού"' in nav
    assert "<details" in nav and "<summary" in nav and "Μενού" in nav
    assert {reverse("services:my_applications"), reverse("reports:new")} <= _hrefs(nav)
    assert reverse("core:staff_home") not in _hrefs(nav)


def test_staff_see_the_staff_menu_not_the_citizen_menu(alice: Any) -> None:
    nav = _main_nav(client_for(alice, SERRES_HOST).get("/").content.decode())
    assert 'aria-label="Μενού υπηρεσιών"' in nav
    hrefs = _hrefs(nav)
    assert {reverse("core:staff_home"), reverse("services:staff_queue"), reverse("reports:queue")} <= hrefs
    assert reverse("services:my_applications") not in hrefs and reverse("reports:new") not in hrefs
    assert reverse("schools:overview") not in hrefs and reverse("core:audit_log") not in hrefs
    assert "/" in hrefs  # one way back to the citizens' pages


HOMES = frozenset({"/", "/staff/"})


def test_the_current_page_and_section_are_marked() -> None:
    links = [
        ("/staff/", "home"),
        ("/staff/reports/", "reports"),
        ("/staff/reports/keys/", "keys"),
        ("/", "site"),
    ]
    current = {entry.label: entry.current for entry in menu(links, "/staff/reports/12/", homes=HOMES)}
    assert current == {"home": "", "reports": "true", "keys": "", "site": ""}
    current = {entry.label: entry.current for entry in menu(links, "/staff/reports/keys/", homes=HOMES)}
    assert current == {"home": "", "reports": "", "keys": "page", "site": ""}
    current = {entry.label: entry.current for entry in menu(links, "/staff/", homes=HOMES)}
    assert current == {"home": "page", "reports": "", "keys": "", "site": ""}


# What each role's home shows, written by hand from what the role's work needs.
CARDS = {
    "services:staff_queue": {"clerk", "department_head", "sensor_operator", "municipal_admin"},
    "services:register": {"clerk", "department_head", "sensor_operator", "municipal_admin"},
    "appointments:day_list": {"clerk", "department_head", "sensor_operator", "municipal_admin"},
    "reports:queue": {"clerk", "department_head", "sensor_operator", "municipal_admin"},
    "reports:keys": {"municipal_admin"},
    "core:audit_log": {"department_head", "municipal_admin"},
    "sensors:dashboard": {"sensor_operator", "municipal_admin"},
    "schools:overview": {"education_officer", "municipal_admin", "region_viewer"},  # the Region: figures only
    "schools:my_school": {"school_director"},
}
STRUCTURE = {"municipal_admin"}  # the units' population table and the number of services


@pytest.mark.parametrize("role", StaffRole.values)
def test_the_staff_home_is_made_for_the_role(role: str, serres: Any, serres_department: Any) -> None:
    municipality = None if role == StaffRole.REGION_VIEWER else serres
    user = make_staff(f"home-{role}", municipality, role, department=serres_department)
    html = client_for(user, SERRES_HOST).get(reverse("core:staff_home")).content.decode()
    main = html.split('id="main"', 1)[1].split("</main>", 1)[0]
    shown = {name for name in CARDS if f'href="{reverse(name)}"' in main}
    assert shown == {name for name, roles in CARDS.items() if role in roles}
    assert ("Πληθυσμός" in main) == (role in STRUCTURE)
    assert ('data-figures="structure"' in main) == (role in STRUCTURE)
