"""Funding proposals (needs → prioritised versions) and the purchase orders they become."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import TransitionNotAllowed, ValidationFailed
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.schools.constants import PROPOSAL_TRANSITIONS, AssetStatus, EventKind, OrderStatus, ProposalStatus
from dimos.schools.models import (
    Asset,
    Proposal,
    ProposalLine,
    ProposalVersion,
    PurchaseOrder,
    PurchaseOrderLine,
)
from dimos.schools.planning import prioritise
from dimos.schools.selectors import current_school_year, needs
from dimos.schools.services.assets import asset_create


def proposal_create(
    *, municipality: Municipality, title: str, funding_programme: str = "", actor: Any
) -> Proposal:
    if not title.strip():
        raise ValidationFailed(_("Δώστε τίτλο."), field="title")
    proposal = Proposal.objects.create(
        municipality=municipality,
        title=title.strip(),
        funding_programme=funding_programme.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action="schools.proposal_created", actor=actor, obj=proposal)
    return proposal


@transaction.atomic
def proposal_version_build(
    *,
    proposal: Proposal,
    budget_cap: Decimal,
    rule: str,
    actor: Any,
    note: str = "",
    year: int | None = None,
    today: date | None = None,
) -> ProposalVersion:
    """Compute the needs now and store them as the proposal's next draft version."""
    if budget_cap is None or budget_cap < 0:
        raise ValidationFailed(_("Ο προϋπολογισμός δεν μπορεί να είναι αρνητικός."), field="budget_cap")
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.DRAFT:
        raise TransitionNotAllowed(
            _("Νέα έκδοση γίνεται μόνο όσο η πρόταση είναι σχέδιο."), field="budget_cap"
        )
    year = year or current_school_year(today)
    plan = prioritise(
        needs(municipality=proposal.municipality, year=year, today=today), budget_cap=budget_cap, rule=rule
    )
    last = proposal.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ProposalVersion.objects.create(
        municipality_id=proposal.municipality_id,
        proposal=proposal,
        number=last + 1,
        budget_cap=budget_cap,
        rule=rule,
        school_year=year,
        total_need=plan.total_need,
        total_funded=plan.total_funded,
        note=note.strip()[:300],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    ProposalLine.objects.bulk_create(
        ProposalLine(
            municipality_id=proposal.municipality_id,
            version=version,
            rank=line.rank,
            school_id=line.need.school_id,
            category_id=line.need.category_id,
            model_id=line.need.model_id,
            required=line.need.required,
            have=line.need.have,
            gap=line.need.gap,
            pupils=line.need.pupils,
            score=line.score,
            unit_price=line.need.unit_price,
            quantity=line.quantity,
            amount=line.amount,
            explanation=line.explanation,
        )
        for line in plan.lines
    )
    audit_record(
        action="schools.proposal_version",
        actor=actor,
        obj=proposal,
        new={"version": version.number, "budget_cap": str(budget_cap), "funded": str(plan.total_funded)},
    )
    return version


@transaction.atomic
def proposal_transition(*, proposal: Proposal, to_status: str, actor: Any) -> Proposal:
    if to_status not in ProposalStatus.values:
        raise ValidationFailed(_("Άγνωστη κατάσταση."), field="status")
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if to_status not in PROPOSAL_TRANSITIONS.get(proposal.status, frozenset()):
        raise TransitionNotAllowed(
            _("Η πρόταση είναι «%(from)s» και δεν μπορεί να γίνει «%(to)s».")
            % {"from": ProposalStatus(proposal.status).label, "to": ProposalStatus(to_status).label},
            field="status",
        )
    version = proposal.latest()
    if version is None:
        raise ValidationFailed(_("Η πρόταση δεν έχει ακόμη καμία έκδοση."), field="status")
    old = proposal.status
    proposal.status = to_status
    proposal.save(update_fields=["status"])
    if to_status == ProposalStatus.FUNDED:
        _orders_from(proposal, version)
    audit_record(
        action="schools.proposal_status",
        actor=actor,
        obj=proposal,
        old={"status": old},
        new={"status": to_status},
    )
    return proposal


def _orders_from(proposal: Proposal, version: ProposalVersion) -> list[PurchaseOrder]:
    """One purchase order per category with the funded lines of the latest version."""
    orders: dict[int, PurchaseOrder] = {}
    year = timezone.localdate().year
    existing = PurchaseOrder.objects.filter(
        municipality_id=proposal.municipality_id, number__startswith=f"ΠΡ-{year}-"
    ).count()
    for line in (
        version.lines.filter(quantity__gt=0).select_related("category").order_by("category__name", "rank")
    ):
        order = orders.get(line.category_id)
        if order is None:
            existing += 1
            order = PurchaseOrder.objects.create(
                municipality_id=proposal.municipality_id,
                number=f"ΠΡ-{year}-{existing:04d}",
                proposal=proposal,
                category=line.category,
                funding_source=proposal.funding_programme,
            )
            orders[line.category_id] = order
        PurchaseOrderLine.objects.create(
            municipality_id=proposal.municipality_id,
            order=order,
            school_id=line.school_id,
            model_id=line.model_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
    return list(orders.values())


@transaction.atomic
def order_receive(
    *,
    line: PurchaseOrderLine,
    serials: list[str],
    actor: Any,
    supplier: str = "",
    delivered_on: date | None = None,
    warranty_years: int = 2,
) -> list[Asset]:
    """Receive delivered units of an order line into the inventory (deployed at the school)."""
    line = (
        PurchaseOrderLine.objects.select_for_update()
        .select_related("order", "model", "school")
        .get(pk=line.pk)
    )
    serials = [s.strip() for s in serials if s.strip()]
    if not serials:
        raise ValidationFailed(
            _("Δώστε τουλάχιστον έναν σειριακό αριθμό (έναν ανά γραμμή)."), field="serials"
        )
    if len(set(serials)) != len(serials):
        raise ValidationFailed(_("Ο ίδιος σειριακός αριθμός δόθηκε δύο φορές."), field="serials")
    if len(serials) > line.outstanding:
        raise ValidationFailed(
            _("Η γραμμή περιμένει ακόμη %(n)s τεμάχια, δόθηκαν %(m)s.")
            % {"n": line.outstanding, "m": len(serials)},
            field="serials",
        )
    delivered_on = delivered_on or timezone.localdate()
    order = line.order
    created = [
        asset_create(
            municipality=order.municipality,
            actor=actor,
            model=line.model,
            serial=serial,
            school=line.school,
            status=AssetStatus.DEPLOYED,
            purchase_date=delivered_on,
            supplier=supplier or order.supplier,
            order_ref=order.number,
            cost=line.unit_price,
            warranty_end=delivered_on.replace(year=delivered_on.year + warranty_years),
            funding_source=order.funding_source,
            order_line=line,
            kind=EventKind.RECEIVED,
        )
        for serial in serials
    ]
    line.received += len(created)
    line.save(update_fields=["received"])
    remaining = PurchaseOrderLine.objects.filter(order=order).exclude(pk=line.pk)
    outstanding = line.outstanding + sum(ln.outstanding for ln in remaining)
    order.status = OrderStatus.DELIVERED if outstanding == 0 else OrderStatus.PARTIAL
    if supplier and not order.supplier:
        order.supplier = supplier
    order.save(update_fields=["status", "supplier"])
    return created
