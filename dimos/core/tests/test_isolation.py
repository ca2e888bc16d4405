"""Tenancy isolation for every staff URL of every app (see dimos/core/isolation.py)."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from dimos.core.isolation import IsolationCase, staff_url_names
from dimos.core.testing import IRAKLEIA_HOST, SERRES_HOST, client_for


def _all_cases(ctx: Any) -> list[IsolationCase]:
    found: list[IsolationCase] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dimos."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.isolation")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests.isolation", f"{config.name}.tests"):
                raise
            continue
        found.extend(module.cases(ctx))
    return found


@pytest.fixture
def ctx(serres: Any, irakleia: Any, serres_department: Any, alice: Any, bob: Any) -> SimpleNamespace:
    return SimpleNamespace(
        serres=serres, irakleia=irakleia, serres_department=serres_department, alice=alice, bob=bob
    )


def _content(response: Any) -> str:
    """The body as text, also for streaming responses (CSV exports, files)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _request(client: Any, case: IsolationCase) -> Any:
    url = reverse(case.url_name, kwargs=case.kwargs) + case.query
    method = getattr(client, case.method.lower())
    return method(url, data=case.data or {}) if case.method != "GET" else client.get(url)


def test_every_staff_url_has_an_isolation_case(ctx: SimpleNamespace) -> None:
    covered = {case.url_name for case in _all_cases(ctx)}
    missing = staff_url_names() - covered
    assert not missing, f"staff URLs without an isolation case: {sorted(missing)}"


def test_the_walk_finds_staff_urls() -> None:
    # Guards the guard: if the resolver walk broke, the test above would pass vacuously.
    assert "core:staff_home" in staff_url_names()
    assert "core:home" not in staff_url_names()


@pytest.mark.parametrize("host", [IRAKLEIA_HOST, SERRES_HOST])
def test_staff_of_another_municipality_cannot_see_serres_data(
    ctx: SimpleNamespace, charlie: Any, host: str
) -> None:
    client = client_for(charlie, host)
    cases = _all_cases(ctx)
    assert cases
    for case in cases:
        response = _request(client, case)
        content = _content(response)
        if host == SERRES_HOST:
            assert response.status_code == 404, (case.url_name, host, response.status_code)
        elif case.kwargs:
            # On their own host, a page their role may not use is 403 before any object is
            # looked up (so it says nothing about Serres' objects); otherwise 404.
            assert response.status_code in (403, 404), (case.url_name, host, response.status_code)
        else:
            assert response.status_code in (200, 403, 404), (case.url_name, response.status_code)
            if case.marker:
                assert case.marker not in content, (case.url_name, "leaks", case.marker)


def test_serres_staff_do_see_their_own_data(ctx: SimpleNamespace) -> None:
    """The same cases succeed for Serres' own administrator (the test has teeth)."""
    client = client_for(ctx.bob, SERRES_HOST)
    for case in _all_cases(ctx):
        if case.method != "GET" or not case.municipal:
            continue
        response = _request(client, case)
        assert response.status_code == 200, (case.url_name, response.status_code)
        if case.marker:
            assert case.marker in _content(response), (
                case.url_name,
                "marker missing for owner",
            )


def test_admin_changelists_and_change_pages_are_scoped(ctx: SimpleNamespace, charlie_admin: Any) -> None:
    _all_cases(ctx)  # creates Serres objects for every app
    client = client_for(charlie_admin, IRAKLEIA_HOST)
    checked = 0
    for model, _model_admin in admin.site._registry.items():
        if not any(f.name == "municipality" for f in model._meta.get_fields()):
            continue
        obj = model._default_manager.filter(municipality=ctx.serres).first()
        if obj is None:
            continue
        opts = model._meta
        change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        # Django admin answers an object outside the queryset with a redirect to the index.
        assert change.status_code in (302, 404), (opts.label, change.status_code)
        listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert listing.status_code in (200, 403)
        assert f"/{obj.pk}/change/" not in listing.content.decode(), opts.label
        checked += 1
    assert checked >= 1
