"""The gap and prioritisation maths, on small cases checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dimos.core.exceptions import ValidationFailed
from dimos.schools import selectors, services
from dimos.schools.constants import AssetStatus, PriorityRule, SchoolType, StandardBasis
from dimos.schools.models import Standard
from dimos.schools.planning import Need, prioritise, required_quantity
from dimos.schools.tests.factories import category, eq_model, school


def need(school_id: int, name: str, *, required: int, have: int, pupils: int, price: str = "100") -> Need:
    return Need(school_id, name, 1, "Tablet", 1, Decimal(price), required, have, pupils)


@pytest.mark.parametrize(
    ("basis", "quantity", "per", "expected"),
    [
        (StandardBasis.PER_CLASSROOM, 1, 1, 7),  # 7 classrooms → 7 boards
        (StandardBasis.PER_TEACHER, 1, 1, 12),  # 12 teachers → 12 laptops
        (StandardBasis.PER_PUPILS, 1, 4, 39),  # ⌈154 / 4⌉ = ⌈38.5⌉ = 39 tablets
        (StandardBasis.PER_PUPILS, 2, 5, 62),  # ⌈154 × 2 / 5⌉ = ⌈61.6⌉ = 62
        (StandardBasis.PER_SCHOOL, 1, 1, 1),  # one robotics kit per school
        (StandardBasis.PER_SCHOOL, 3, 1, 3),
    ],
)
def test_required_quantity(basis: str, quantity: int, per: int, expected: int) -> None:
    assert (
        required_quantity(basis=basis, quantity=quantity, per=per, classrooms=7, teachers=12, pupils=154)
        == expected
    )


def test_gap_never_negative() -> None:
    assert need(1, "A", required=5, have=9, pupils=100).gap == 0
    assert need(1, "A", required=5, have=2, pupils=100).gap == 3


def test_largest_gap_per_pupil_first_with_partial_funding() -> None:
    # A: gap 10 for 100 pupils = 0.100; B: gap 6 for 40 = 0.150; C: gap 2 for 50 = 0.040.
    needs = [
        need(1, "A", required=12, have=2, pupils=100),
        need(2, "B", required=6, have=0, pupils=40),
        need(3, "C", required=4, have=2, pupils=50),
        need(4, "D", required=3, have=3, pupils=80),  # no gap: no line
    ]
    plan = prioritise(needs, budget_cap=Decimal("1300"), rule=PriorityRule.GAP_PER_PUPIL)
    assert [ln.need.school_name for ln in plan.lines] == ["B", "A", "C"]
    b, a, c = plan.lines
    # B costs 600 (fits, 700 left); A needs 1000: 7 fit (0 left); C: nothing fits.
    assert (b.quantity, b.amount) == (6, Decimal("600"))
    assert (a.quantity, a.amount) == (7, Decimal("700"))
    assert (c.quantity, c.amount) == (0, Decimal("0"))
    assert plan.total_need == Decimal("1800")
    assert plan.total_funded == Decimal("1300")
    assert "0,150 ανά μαθητή" in b.explanation and "πλήρως" in b.explanation
    assert "7 από 10" in a.explanation
    assert "δεν χωρά" in c.explanation and "200,00 €" in c.explanation


def test_cheaper_later_lines_still_use_the_remainder() -> None:
    needs = [
        need(1, "A", required=1, have=0, pupils=10, price="900"),  # 0.1 per pupil, first
        need(2, "B", required=2, have=0, pupils=100, price="50"),  # 0.02, second
    ]
    plan = prioritise(needs, budget_cap=Decimal("500"), rule=PriorityRule.GAP_PER_PUPIL)
    a, b = plan.lines
    assert a.quantity == 0 and b.quantity == 2
    assert plan.total_funded == Decimal("100")


def test_lowest_coverage_first_and_ties_by_gap_then_name() -> None:
    needs = [
        need(1, "A", required=10, have=5, pupils=100),  # 50 % covered
        need(2, "B", required=4, have=0, pupils=30),  # 0 %
        need(3, "C", required=8, have=0, pupils=300),  # 0 %, larger gap than B
    ]
    plan = prioritise(needs, budget_cap=Decimal("100000"), rule=PriorityRule.LOWEST_COVERAGE)
    assert [ln.need.school_name for ln in plan.lines] == ["C", "B", "A"]
    assert "κάλυψη 50% του προτύπου (5 από 10)" in plan.lines[2].explanation


def test_zero_budget_funds_nothing_and_negative_is_refused() -> None:
    plan = prioritise(
        [need(1, "A", required=3, have=0, pupils=10)],
        budget_cap=Decimal("0"),
        rule=PriorityRule.GAP_PER_PUPIL,
    )
    assert plan.total_funded == 0 and plan.lines[0].quantity == 0
    with pytest.raises(ValidationFailed) as exc:
        prioritise([], budget_cap=Decimal("-1"), rule=PriorityRule.GAP_PER_PUPIL)
    assert exc.value.field == "budget_cap"


def test_needs_from_the_database_count_only_live_equipment(serres) -> None:
    s = school(serres, "Δημοτικό Σχολείο Λευκώνα", classrooms=3, pupils=45, teachers=4, year=2025)
    tablets = category(serres, "tablet", "Tablet")
    tab = eq_model(serres, tablets, "tab", "200", life=4)
    Standard.objects.create(
        municipality=serres,
        school_type=SchoolType.PRIMARY,
        category=tablets,
        basis=StandardBasis.PER_PUPILS,
        quantity=1,
        per=5,
        model=tab,
    )

    def mk(serial, **kw):
        return services.asset_create(
            municipality=serres,
            actor=None,
            model=tab,
            serial=serial,
            school=s,
            status=AssetStatus.DEPLOYED,
            **kw,
        )

    mk("new-1", purchase_date=date(2024, 1, 10))
    mk("new-2")  # no purchase date: counted
    mk("old-1", purchase_date=date(2019, 1, 10))  # past its 4-year life on 2025-10-01: not counted
    retired = mk("ret-1", purchase_date=date(2024, 1, 10))
    services.asset_transition(asset=retired, to_status=AssetStatus.RETIRED, actor=None)
    (found,) = selectors.needs(municipality=serres, year=2025, today=date(2025, 10, 1))
    assert (found.required, found.have, found.gap, found.pupils) == (9, 2, 7, 45)  # ⌈45/5⌉ = 9
    # The latest earlier school year is used when the asked year has no figures.
    (later,) = selectors.needs(municipality=serres, year=2027, today=date(2025, 10, 1))
    assert later.pupils == 45
