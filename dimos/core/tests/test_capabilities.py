"""Who may do what: the role table, object rules and grants (dimos/core/capabilities.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.core.capabilities import (
    ROLE_CAPABILITIES,
    Capability,
    capabilities_of,
    grantable_roles,
    has_capability,
    may_grant,
    may_handle_report,
    may_see_citizen_contact,
)
from dimos.core.constants import StaffRole
from dimos.core.models import AuditEvent, Department
from dimos.core.testing import SERRES_HOST, make_staff


def test_every_role_has_a_row_and_least_privilege_holds() -> None:
    assert set(ROLE_CAPABILITIES) == set(StaffRole.values)
    director = ROLE_CAPABILITIES[StaffRole.SCHOOL_DIRECTOR]
    assert director == {Capability.STAFF_AREA, Capability.SCHOOLS_OWN_SCHOOL}
    clerk = ROLE_CAPABILITIES[StaffRole.CLERK]
    assert not clerk & {Capability.SENSORS_OPERATE, Capability.SENSORS_CREDENTIALS, Capability.REGISTER_VOID}
    region = ROLE_CAPABILITIES[StaffRole.REGION_VIEWER]
    assert region == {Capability.STAFF_AREA, Capability.REGION_READ}


def test_no_capability_without_an_active_account(alice: Any) -> None:
    alice.is_active = False
    assert capabilities_of(alice) == frozenset()


def test_cases_of_my_department_and_the_offices_under_it(serres: Any, serres_department: Department) -> None:
    office = Department.objects.create(
        municipality=serres, code="grafeio", name_el="Γραφείο", name_en="Office", parent=serres_department
    )
    other = Department.objects.create(municipality=serres, code="prasino", name_el="Πράσινο", name_en="Green")
    head = make_staff("head", serres, StaffRole.DEPARTMENT_HEAD, department=serres_department)
    clerk = make_staff("clerk", serres, StaffRole.CLERK, department=office)
    admin = make_staff("admin", serres, StaffRole.MUNICIPAL_ADMIN)
    director = make_staff("director", serres, StaffRole.SCHOOL_DIRECTOR)
    assert may_handle_report(head, serres_department.pk) and may_handle_report(head, office.pk)
    assert may_handle_report(clerk, office.pk) and not may_handle_report(clerk, serres_department.pk)
    assert not may_handle_report(head, other.pk)
    assert may_handle_report(admin, other.pk) and may_handle_report(admin, None)
    assert not may_handle_report(director, office.pk)
    assert may_see_citizen_contact(clerk, department_id=office.pk, kind="application")
    assert not may_see_citizen_contact(clerk, department_id=other.pk, kind="report")


def test_grants_stay_inside_the_municipality_and_below_the_granter(
    bob: Any, alice: Any, serres: Any, irakleia: Any, region_viewer: Any
) -> None:
    assert StaffRole.REGION_VIEWER not in grantable_roles(bob)
    assert may_grant(bob, StaffRole.CLERK, municipality_id=serres.pk)
    assert not may_grant(bob, StaffRole.CLERK, municipality_id=irakleia.pk)
    assert not may_grant(bob, StaffRole.REGION_VIEWER, municipality_id=serres.pk)
    assert not may_grant(bob, StaffRole.MUNICIPAL_ADMIN, municipality_id=serres.pk)
    assert not may_grant(alice, StaffRole.CLERK, municipality_id=serres.pk)
    assert not may_grant(region_viewer, StaffRole.CLERK, municipality_id=serres.pk)


@pytest.mark.parametrize("role", [StaffRole.REGION_VIEWER, StaffRole.MUNICIPAL_ADMIN])
def test_a_municipal_administrator_cannot_mint_a_higher_role_in_the_back_office(
    bob: Any, serres: Any, role: str
) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    client.force_login(bob)
    page = client.get("/admin/accounts/user/add/").content.decode()
    assert f'value="{role}"' not in page
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "mallory",
            "password1": "x9!long-enough-pass",
            "password2": "x9!long-enough-pass",
            "role": role,
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="mallory").exists()


def test_creating_and_changing_an_account_is_audited(bob: Any, serres: Any) -> None:
    from django.contrib.auth import get_user_model

    client = Client(HTTP_HOST=SERRES_HOST)
    client.force_login(bob)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newclerk",
            "password1": "x9!long-enough-pass",
            "password2": "x9!long-enough-pass",
            "role": StaffRole.CLERK,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="newclerk")
    assert user.municipality_id == serres.pk and user.role == StaffRole.CLERK and not user.is_staff
    created = AuditEvent.objects.get(action="accounts.user_created")
    assert created.actor == bob and created.new_values["role"] == StaffRole.CLERK
    user.role = StaffRole.DEPARTMENT_HEAD
    from dimos.accounts.admin import UserAdmin

    class _Form:
        pass

    request = type("R", (), {"user": bob})()
    UserAdmin(get_user_model(), None).save_model(request, user, _Form(), change=True)
    changed = AuditEvent.objects.get(action="accounts.role_changed")
    assert changed.old_values == {"role": StaffRole.CLERK} and changed.new_values == {
        "role": StaffRole.DEPARTMENT_HEAD
    }


def test_a_municipal_administrator_cannot_edit_another_administrator(bob: Any, serres: Any) -> None:
    other_admin = make_staff("other_admin", serres, StaffRole.MUNICIPAL_ADMIN, is_staff=True)
    client = Client(HTTP_HOST=SERRES_HOST)
    client.force_login(bob)
    assert client.get(f"/admin/accounts/user/{other_admin.pk}/change/").status_code in (302, 403)


def test_has_capability_reads_the_table(alice: Any, bob: Any) -> None:
    assert has_capability(alice, Capability.REPORTS_HANDLE)
    assert not has_capability(alice, Capability.USERS_MANAGE)
    assert has_capability(bob, "users.manage")
