"""Small worlds for the schools tests (also used by the isolation cases)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dimos.core.constants import StaffRole
from dimos.core.testing import make_staff
from dimos.schools import services
from dimos.schools.constants import AssetStatus, PriorityRule, ProposalStatus, SchoolType, StandardBasis
from dimos.schools.models import (
    Asset,
    EquipmentCategory,
    EquipmentModel,
    Licence,
    Loan,
    Proposal,
    PurchaseOrder,
    Repair,
    School,
    SchoolYear,
    Standard,
)


@dataclass
class World:
    municipality: Any
    director: Any
    school: School
    other_school: School
    tablets: EquipmentCategory
    boards: EquipmentCategory
    tablet: EquipmentModel
    board: EquipmentModel
    asset: Asset
    other_asset: Asset
    licence: Licence | None = None
    loan: Loan | None = None
    repair: Repair | None = None
    proposal: Proposal | None = None
    order: PurchaseOrder | None = None


def category(municipality: Any, code: str, name: str) -> EquipmentCategory:
    return EquipmentCategory.objects.create(municipality=municipality, code=code, name=name)


def eq_model(
    municipality: Any, cat: EquipmentCategory, code: str, price: str, life: int = 5
) -> EquipmentModel:
    return EquipmentModel.objects.create(
        municipality=municipality,
        category=cat,
        code=code,
        manufacturer="Acme",
        name=code.upper(),
        unit_price=Decimal(price),
        expected_life_years=life,
    )


def school(
    municipality: Any,
    name: str,
    *,
    kind: str = SchoolType.PRIMARY,
    classrooms: int = 6,
    pupils: int = 120,
    teachers: int = 10,
    director: Any = None,
    year: int | None = None,
) -> School:
    s = School.objects.create(
        municipality=municipality,
        name=name,
        school_type=kind,
        classrooms=classrooms,
        director=director,
        lat=41.09,
        lon=23.55,
    )
    from dimos.schools.selectors import current_school_year

    SchoolYear.objects.create(
        municipality=municipality,
        school=s,
        year=year or current_school_year(),
        pupils=pupils,
        teachers=teachers,
    )
    return s


def world(municipality: Any, *, full: bool = True, prefix: str = "") -> World:
    director = make_staff(f"{prefix}director", municipality, StaffRole.SCHOOL_DIRECTOR)
    s1 = school(municipality, f"{prefix}1ο Δημοτικό Σχολείο Σερρών", director=director)
    s2 = school(municipality, f"{prefix}2ο Δημοτικό Σχολείο Σερρών", pupils=200, classrooms=8)
    tablets = category(municipality, "tablet", "Tablet")
    boards = category(municipality, "board", "Διαδραστικός πίνακας")
    tablet = eq_model(municipality, tablets, "tab-10", "250.00", life=4)
    board = eq_model(municipality, boards, "ib-75", "1800.00", life=8)
    a1 = services.asset_create(
        municipality=municipality,
        actor=None,
        model=tablet,
        serial=f"{prefix}SN-TAB-1",
        school=s1,
        room="Α1",
        status=AssetStatus.DEPLOYED,
        purchase_date=date(2024, 9, 1),
    )
    a2 = services.asset_create(
        municipality=municipality,
        actor=None,
        model=tablet,
        serial=f"{prefix}SN-TAB-2",
        school=s2,
        status=AssetStatus.DEPLOYED,
        purchase_date=date(2024, 9, 1),
    )
    w = World(municipality, director, s1, s2, tablets, boards, tablet, board, a1, a2)
    if not full:
        return w
    Standard.objects.create(
        municipality=municipality,
        school_type=SchoolType.PRIMARY,
        category=tablets,
        basis=StandardBasis.PER_PUPILS,
        quantity=1,
        per=10,
        model=tablet,
    )
    Standard.objects.create(
        municipality=municipality,
        school_type=SchoolType.PRIMARY,
        category=boards,
        basis=StandardBasis.PER_CLASSROOM,
        quantity=1,
        per=1,
        model=board,
    )
    w.licence = Licence.objects.create(
        municipality=municipality,
        product=f"{prefix}Scratch Pro",
        seats=50,
        valid_until=timezone.localdate() + timedelta(days=300),
    )
    services.licence_assign(licence=w.licence, school=s1, seats=20, actor=None)
    loaned = services.asset_create(
        municipality=municipality,
        actor=None,
        model=tablet,
        serial=f"{prefix}SN-TAB-3",
        school=s1,
        status=AssetStatus.DEPLOYED,
    )
    w.loan = services.loan_checkout(
        asset=loaned,
        borrower_kind="teacher",
        borrower_name="Ελένη Δασκάλου",
        due_date=timezone.localdate() + timedelta(days=30),
        actor=None,
    )
    broken = services.asset_create(
        municipality=municipality,
        actor=None,
        model=board,
        serial=f"{prefix}SN-IB-1",
        school=s1,
        status=AssetStatus.DEPLOYED,
    )
    w.repair = services.repair_report(asset=broken, description="Δεν ανάβει", actor=None)
    w.proposal = services.proposal_create(
        municipality=municipality, title=f"{prefix}Πρόταση Περιφέρειας", actor=None
    )
    services.proposal_version_build(
        proposal=w.proposal, budget_cap=Decimal("20000"), rule=PriorityRule.GAP_PER_PUPIL, actor=None
    )
    services.proposal_transition(proposal=w.proposal, to_status=ProposalStatus.SUBMITTED, actor=None)
    services.proposal_transition(proposal=w.proposal, to_status=ProposalStatus.FUNDED, actor=None)
    w.proposal.refresh_from_db()
    w.order = w.proposal.orders.first()
    return w
