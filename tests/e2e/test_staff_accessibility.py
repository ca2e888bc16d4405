"""axe-core on every staff page, as each role that may read it (WCAG 2.1 AA, 0 violations).

The inventory is the role walk's (each app's isolation cases checked against its
``tests/access.py``), as in the 320 px walk (``test_reflow``): a new staff page is axed
without being listed here. The APIs' HTML views are Django REST framework's browsable
renderer, a developer tool like Swagger UI, and are not walked. Desktop width; the phone
layout is the reflow walk's job.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dimos.core.testing_browser import assert_accessible, login_as
from tests.e2e.test_reflow import (  # noqa: F401
    API_NAMESPACES,
    ROLE_ORDER,
    WALK_HOST,
    _look,
    _staff_cases,
    demo_city,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_staff_page_has_no_axe_violation(live_server: Any, demo_city: Any, open_browser: Any) -> None:  # noqa: F811
    from dimos.core.testing_browser import in_thread
    from dimos.core.tests.test_role_walk import declared_access

    cases, users = in_thread(lambda: _staff_cases(demo_city))
    table = declared_access()
    page = open_browser()
    page.set_viewport_size({"width": 1280, "height": 900})
    staff_url = live_server.url.replace("localhost", WALK_HOST)
    problems: list[str] = []
    axed = 0
    for role in ROLE_ORDER:
        page.context.clear_cookies()
        login_as(page, staff_url, users[role])
        urls = [(f"core:staff_home ({role})", staff_url + reverse("core:staff_home"))]
        urls += [
            (f"{case.url_name} ({role})", staff_url + reverse(case.url_name, kwargs=case.kwargs) + case.query)
            for case in cases
            if role in table[case.url_name].read and not case.url_name.startswith(API_NAMESPACES)
        ]
        for label, url in urls:
            unused: list[str] = []
            if not _look(page, url, label, unused):
                continue  # a file or JSON, not a page
            try:
                assert_accessible(page)
            except AssertionError as exc:
                problems.append(f"{label}: {exc}")
            axed += 1
    assert axed >= 100
    assert not problems, f"{len(problems)} of {axed} staff pages have axe violations:\n" + "\n".join(problems)
