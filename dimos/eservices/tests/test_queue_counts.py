"""The queue's tab counts stop at a cap: the page costs the same whatever the number of applications."""

from __future__ import annotations

from typing import Any

from dimos.eservices import selectors
from dimos.eservices.tests.conftest import make_submitted


def test_tab_counts_are_exact_below_the_cap_and_capped_above_it(
    serres: Any, residence: Any, citizen: Any, monkeypatch: Any
) -> None:
    for _ in range(3):
        make_submitted(serres, residence, citizen)
    assert selectors.queue_counts(municipality=serres, department_id=None)["open"] == 3
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 2)
    counts = selectors.queue_counts(municipality=serres, department_id=None)
    assert counts["open"] == "2+" and counts["awaiting"] == 0


def test_tab_counts_are_one_query(
    serres: Any, residence: Any, citizen: Any, django_assert_num_queries: Any
) -> None:
    make_submitted(serres, residence, citizen)
    with django_assert_num_queries(1):
        selectors.queue_counts(municipality=serres, department_id=None)


def test_no_department_handled_counts_nothing(serres: Any, residence: Any, citizen: Any) -> None:
    make_submitted(serres, residence, citizen)
    counts = selectors.queue_counts(municipality=serres, department_id=None, department_ids=[])
    assert counts == {"open": 0, "overdue": 0, "due_soon": 0, "awaiting": 0}
