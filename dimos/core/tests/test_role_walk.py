"""Every staff URL, for every role, against the declared table of who may (dimos/core/access.py)."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from dimos.core.access import Access
from dimos.core.constants import StaffRole
from dimos.core.isolation import IsolationCase, staff_url_names
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.core.tests.test_isolation import _all_cases

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def declared_access() -> dict[str, Access]:
    table: dict[str, Access] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("dimos."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests.access", f"{config.name}.tests"):
                raise
            continue
        table.update(module.ACCESS)
    return table


@pytest.fixture
def ctx(serres: Any, irakleia: Any, serres_department: Any, alice: Any, bob: Any) -> SimpleNamespace:
    return SimpleNamespace(
        serres=serres, irakleia=irakleia, serres_department=serres_department, alice=alice, bob=bob
    )


def test_every_staff_url_is_in_the_access_table() -> None:
    missing = staff_url_names() - set(declared_access())
    assert not missing, f"staff URLs with no row in any <app>/tests/access.py: {sorted(missing)}"


def test_the_table_names_only_urls_that_exist() -> None:
    stale = set(declared_access()) - staff_url_names()
    assert not stale, f"access rows for URLs that are not staff URLs: {sorted(stale)}"


def _staff_of_every_role(ctx: SimpleNamespace) -> dict[str, Any]:
    users = {}
    for role in StaffRole.values:
        municipality = None if role == StaffRole.REGION_VIEWER else ctx.serres
        users[role] = make_staff(f"walk-{role}", municipality, role, department=ctx.serres_department)
    return users


def _request(client: Any, case: IsolationCase) -> Any:
    url = reverse(case.url_name, kwargs=case.kwargs) + case.query
    if case.method == "GET":
        return client.get(url)
    return getattr(client, case.method.lower())(url, data=case.data or {})


def test_every_role_gets_what_the_table_says(ctx: SimpleNamespace) -> None:
    table = declared_access()
    cases = [case for case in _all_cases(ctx) if case.url_name in table]
    users = _staff_of_every_role(ctx)
    checked, wrong = 0, []
    for role, user in users.items():
        client = client_for(user, SERRES_HOST)
        for case in cases:
            access = table[case.url_name]
            allowed = access.write if case.method in UNSAFE else access.read
            status = _request(client, case).status_code
            checked += 1
            if role in allowed and status in (403, 404):
                wrong.append(f"{role} refused {case.method} {case.url_name} ({status})")
            elif role not in allowed and status != 403:
                wrong.append(f"{role} not refused {case.method} {case.url_name} ({status}, expected 403)")
    assert checked >= len(cases) * len(users) > 0
    assert not wrong, "\n".join(wrong)


# The back office (/admin/) is the municipal administrator's (and the platform administrators'):
# every other role, whatever its capabilities, is sent to sign in, on every admin page.
ADMIN_ROLES = frozenset({StaffRole.MUNICIPAL_ADMIN})


def test_every_admin_page_for_every_role(ctx: SimpleNamespace) -> None:
    from django.contrib import admin

    users = _staff_of_every_role(ctx)
    users[StaffRole.MUNICIPAL_ADMIN].is_staff = True  # the back office comes with the role
    users[StaffRole.MUNICIPAL_ADMIN].save(update_fields=["is_staff"])
    pages = ["admin:index"] + [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
    ]
    wrong = []
    for role, user in users.items():
        client = client_for(user, SERRES_HOST)
        for name in pages:
            status = client.get(reverse(name)).status_code
            if role in ADMIN_ROLES and status not in (200, 403):
                wrong.append(f"{role} {name}: {status}")
            elif role not in ADMIN_ROLES and status != 302:
                wrong.append(f"{role} {name}: {status} (expected a redirect to sign in)")
    assert len(pages) > 20
    assert not wrong, "\n".join(wrong)
    admin_client = client_for(users[StaffRole.MUNICIPAL_ADMIN], SERRES_HOST)
    for name in ("admin:index", "admin:accounts_user_changelist", "admin:core_department_changelist"):
        assert admin_client.get(reverse(name)).status_code == 200, name
