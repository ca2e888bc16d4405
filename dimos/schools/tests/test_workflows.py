"""Asset transitions, tags and serials, loans, repairs, licences, reminders, orders."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from dimos.core.constants import StaffRole
from dimos.core.exceptions import ApplicationError, Conflict, TransitionNotAllowed, ValidationFailed
from dimos.core.tasks import tasks_run_pending
from dimos.core.testing import make_staff
from dimos.schools import services
from dimos.schools.constants import (
    ASSET_TRANSITIONS,
    AssetStatus,
    EventKind,
    PriorityRule,
    ProposalStatus,
    RepairStatus,
)
from dimos.schools.models import Asset, AssetEvent, Licence
from dimos.schools.tests.factories import world


@pytest.fixture
def w(serres):
    return world(serres, full=False)


def test_tags_are_sequential_per_municipality_with_its_prefix(w, irakleia) -> None:
    assert [w.asset.tag, w.other_asset.tag] == ["SER-000001", "SER-000002"]
    other = world(irakleia, full=False, prefix="i-")
    assert other.asset.tag == "IRA-000001"


def test_a_rolled_back_create_leaves_no_gap(w) -> None:
    with pytest.raises(Conflict):
        services.asset_create(municipality=w.municipality, actor=None, model=w.tablet, serial="SN-TAB-1")
    a = services.asset_create(municipality=w.municipality, actor=None, model=w.tablet, serial="SN-NEW")
    assert a.tag == "SER-000003"


def test_duplicate_serial_per_model_refused_by_service_and_database(w) -> None:
    with pytest.raises(Conflict) as exc:
        services.asset_create(municipality=w.municipality, actor=None, model=w.tablet, serial=" SN-TAB-1 ")
    assert exc.value.field == "serial" and "SN-TAB-1" in exc.value.message
    # The same serial on another model is fine.
    services.asset_create(municipality=w.municipality, actor=None, model=w.board, serial="SN-TAB-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Asset.objects.create(municipality=w.municipality, tag="SER-999999", model=w.tablet, serial="SN-TAB-1")


@pytest.mark.parametrize("start", list(AssetStatus))
@pytest.mark.parametrize("target", list(AssetStatus))
def test_transition_table_is_enforced(w, start, target) -> None:
    Asset.objects.filter(pk=w.asset.pk).update(status=start)
    w.asset.refresh_from_db()
    if target in ASSET_TRANSITIONS[start]:
        services.asset_transition(asset=w.asset, to_status=target, actor=None)
        w.asset.refresh_from_db()
        assert w.asset.status == target
        event = w.asset.events.last()
        assert (event.from_status, event.to_status, event.kind) == (start, target, EventKind.STATUS)
    else:
        with pytest.raises(TransitionNotAllowed):
            services.asset_transition(asset=w.asset, to_status=target, actor=None)


def test_moves_are_recorded_and_history_is_append_only(w) -> None:
    services.asset_move(
        asset=w.asset, school=w.other_school, room="Εργαστήριο", actor=None, comment="μεταφορά"
    )
    event = w.asset.events.last()
    assert (event.kind, event.from_school, event.to_school, event.to_room) == (
        EventKind.MOVED,
        w.school,
        w.other_school,
        "Εργαστήριο",
    )
    with pytest.raises(ValidationFailed):
        services.asset_move(asset=w.asset, school=w.other_school, room="Εργαστήριο", actor=None)
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    services.asset_transition(asset=w.asset, to_status=AssetStatus.RETIRED, actor=None)
    with pytest.raises(TransitionNotAllowed):
        services.asset_move(asset=w.asset, school=w.school, room="", actor=None)
    assert AssetEvent.objects.filter(asset=w.asset).count() == 3


def test_loan_rules(w) -> None:
    due = timezone.localdate() + timedelta(days=30)
    with pytest.raises(ValidationFailed) as exc:
        services.loan_checkout(
            asset=w.asset,
            borrower_kind="pupil",
            borrower_name="Γιάννης Π.",
            guardian_name="Μαρία Π.",
            guardian_consent=False,
            due_date=due,
            actor=None,
        )
    assert exc.value.field == "guardian_consent"
    with pytest.raises(ValidationFailed) as exc:
        services.loan_checkout(
            asset=w.asset,
            borrower_kind="teacher",
            borrower_name="Ε. Δ.",
            due_date=timezone.localdate(),
            actor=None,
        )
    assert exc.value.field == "due_date"
    loan = services.loan_checkout(
        asset=w.asset,
        borrower_kind="pupil",
        borrower_name="Γιάννης Π.",
        pupil_class="Ε2",
        guardian_name="Μαρία Π.",
        guardian_consent=True,
        due_date=due,
        actor=None,
    )
    w.asset.refresh_from_db()
    assert w.asset.status == AssetStatus.ON_LOAN and loan.consent_recorded_at is not None
    with pytest.raises(Conflict) as exc:
        services.loan_checkout(
            asset=w.asset, borrower_kind="teacher", borrower_name="Άλλος", due_date=due, actor=None
        )
    assert "ήδη δανεισμένο" in exc.value.message
    stock = services.asset_create(municipality=w.municipality, actor=None, model=w.tablet, serial="STOCK-1")
    with pytest.raises(Conflict) as exc:
        services.loan_checkout(
            asset=stock, borrower_kind="teacher", borrower_name="Ε. Δ.", due_date=due, actor=None
        )
    assert "Σε αποθήκη" in exc.value.message
    with pytest.raises(ValidationFailed):
        services.loan_return(loan=loan, condition="damaged", notes="", actor=None)
    services.loan_return(loan=loan, condition="good", notes="", actor=None)
    w.asset.refresh_from_db()
    assert w.asset.status == AssetStatus.DEPLOYED
    with pytest.raises(TransitionNotAllowed):
        services.loan_return(loan=loan, condition="good", actor=None)


def test_returned_damaged_opens_a_repair(w) -> None:
    loan = services.loan_checkout(
        asset=w.asset,
        borrower_kind="teacher",
        borrower_name="Ε. Δ.",
        due_date=timezone.localdate() + timedelta(days=3),
        actor=None,
    )
    services.loan_return(loan=loan, condition="damaged", notes="Σπασμένη οθόνη", actor=None)
    w.asset.refresh_from_db()
    assert w.asset.status == AssetStatus.IN_REPAIR
    assert w.asset.repairs.get().description == "Σπασμένη οθόνη"


def test_database_refuses_pupil_loan_without_consent(w) -> None:
    from dimos.schools.models import Loan

    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            municipality=w.municipality,
            asset=w.asset,
            school=w.school,
            borrower_kind="pupil",
            borrower_name="X",
            due_date=timezone.localdate(),
        )


def _jpeg_with_exif() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_repair_ticket_drives_the_asset_status(w) -> None:
    repair = services.repair_report(
        asset=w.asset, description="Η οθόνη δεν ανάβει", photo=_jpeg_with_exif(), actor=w.director
    )
    w.asset.refresh_from_db()
    assert w.asset.status == AssetStatus.IN_REPAIR
    data = repair.photo.read()
    assert data[:3] == b"\xff\xd8\xff" and b"SecretCam" not in data
    with pytest.raises(Conflict):
        services.repair_report(asset=w.asset, description="πάλι", actor=None)
    with pytest.raises(ValidationFailed):
        services.repair_update(repair=repair, status=RepairStatus.AT_SUPPLIER, cost=Decimal("-5"), actor=None)
    services.repair_update(
        repair=repair,
        status=RepairStatus.AT_SUPPLIER,
        supplier="Πληροφορική Σερρών",
        cost=Decimal("45"),
        actor=None,
    )
    services.repair_update(
        repair=repair,
        status=RepairStatus.REPAIRED,
        supplier="Πληροφορική Σερρών",
        cost=Decimal("45"),
        actor=None,
    )
    w.asset.refresh_from_db()
    assert w.asset.status == AssetStatus.DEPLOYED
    with pytest.raises(TransitionNotAllowed):
        services.repair_update(repair=repair, status=RepairStatus.AT_SUPPLIER, actor=None)
    second = services.repair_report(asset=w.asset, description="Πτώση", actor=None)
    services.repair_update(repair=second, status=RepairStatus.UNREPAIRABLE, actor=None)
    w.asset.refresh_from_db()
    assert w.asset.status == AssetStatus.RETIRED


def test_repair_refuses_a_non_image(w) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.repair_report(asset=w.asset, description="x", photo=b"not an image at all", actor=None)
    assert exc.value.field == "photo"


def test_licence_seats_and_expiry_reminders(w) -> None:
    make_staff("edu.admin", w.municipality, StaffRole.MUNICIPAL_ADMIN)
    licence = Licence.objects.create(
        municipality=w.municipality,
        product="Tinkercad Edu",
        seats=30,
        valid_until=timezone.localdate() + timedelta(days=20),
    )
    services.licence_assign(licence=licence, school=w.school, seats=20, actor=None)
    with pytest.raises(Conflict) as exc:
        services.licence_assign(licence=licence, school=w.other_school, seats=11, actor=None)
    assert "διαθέσιμες 10" in exc.value.message
    services.licence_assign(licence=licence, school=w.school, seats=30, actor=None)  # replaces its own seats
    Licence.objects.create(
        municipality=w.municipality,
        product="Far away",
        seats=1,
        valid_until=timezone.localdate() + timedelta(days=200),
    )
    assert services.licence_reminders_send() == 1
    assert services.licence_reminders_send() == 0  # once per expiry date
    tasks_run_pending()
    assert any("Tinkercad Edu" in m.subject for m in mail.outbox)


def test_the_education_office_gets_the_licence_reminders_and_other_departments_do_not(w) -> None:
    officer = make_staff("edu.officer", w.municipality, StaffRole.EDUCATION_OFFICER)
    clerk = make_staff("edu.clerk", w.municipality, StaffRole.CLERK)
    Licence.objects.create(
        municipality=w.municipality, product="GeoGebra", seats=5, valid_until=timezone.localdate()
    )
    assert services.licence_reminders_send() == 1
    tasks_run_pending()
    recipients = {address for m in mail.outbox if "GeoGebra" in m.subject for address in m.to}
    assert officer.email in recipients and clerk.email not in recipients


def test_overdue_loans_remind_the_director(w) -> None:
    loan = services.loan_checkout(
        asset=w.asset,
        borrower_kind="teacher",
        borrower_name="Ε. Δ.",
        due_date=timezone.localdate() + timedelta(days=1),
        actor=None,
    )
    assert services.loan_overdue_reminders_send() == 0
    later = timezone.localdate() + timedelta(days=5)
    assert services.loan_overdue_reminders_send(today=later) == 1
    assert services.loan_overdue_reminders_send(today=later) == 0
    tasks_run_pending()
    (message,) = [m for m in mail.outbox if w.director.email in m.to]
    assert w.asset.tag in message.body and "Ε. Δ." not in message.body  # no names in e-mails
    loan.refresh_from_db()
    assert loan.reminded_on == later


def test_proposal_versions_orders_and_receiving(serres) -> None:
    w = world(serres)
    proposal = w.proposal
    assert proposal.status == ProposalStatus.FUNDED
    with pytest.raises(TransitionNotAllowed):
        services.proposal_version_build(
            proposal=proposal, budget_cap=Decimal("1"), rule=PriorityRule.GAP_PER_PUPIL, actor=None
        )
    order = w.order
    line = order.lines.first()
    before = Asset.objects.filter(school=line.school, model=line.model).count()
    with pytest.raises(ValidationFailed):
        services.order_receive(line=line, serials=["A", "A"], actor=None)
    with pytest.raises(ValidationFailed):
        services.order_receive(line=line, serials=[f"X{i}" for i in range(line.quantity + 1)], actor=None)
    created = services.order_receive(line=line, serials=["NEW-1", "NEW-2"], supplier="Info Quest", actor=None)
    assert len(created) == 2 and all(
        a.status == AssetStatus.DEPLOYED and a.order_line == line for a in created
    )
    assert created[0].events.get().kind == EventKind.RECEIVED
    assert Asset.objects.filter(school=line.school, model=line.model).count() == before + 2
    line.refresh_from_db()
    order.refresh_from_db()
    assert line.received == 2 and order.status in ("partial", "delivered")


def test_budget_cap_below_zero_is_refused(serres) -> None:
    w = world(serres, full=False)
    proposal = services.proposal_create(municipality=serres, title="Τεστ", actor=None)
    with pytest.raises(ApplicationError) as exc:
        services.proposal_version_build(
            proposal=proposal, budget_cap=Decimal("-10"), rule=PriorityRule.GAP_PER_PUPIL, actor=None
        )
    assert exc.value.field == "budget_cap"
    assert w.school.pk


@pytest.mark.django_db(transaction=True)
def test_tag_allocation_outside_any_transaction(serres) -> None:
    # Callers like the benchmark and management shells run in autocommit mode.
    assert services.asset_tags_allocate(municipality=serres, count=3) == [
        "SER-000001",
        "SER-000002",
        "SER-000003",
    ]
    assert services.asset_tags_allocate(municipality=serres) == ["SER-000004"]


def test_repair_history_is_append_only_and_shares_the_history_base(w) -> None:
    """AssetEvent and RepairEvent are HistoryEntry tables: who, when, from, to, comment; never changed."""
    from dimos.core.models import HistoryEntry
    from dimos.schools.models import RepairEvent

    repair = services.repair_report(asset=w.asset, description="Σπασμένη οθόνη", actor=None)
    services.repair_update(
        repair=repair, actor=None, status=RepairStatus.AT_SUPPLIER, comment="στον προμηθευτή"
    )
    event = RepairEvent.objects.filter(repair=repair).last()
    assert isinstance(event, HistoryEntry) and issubclass(AssetEvent, HistoryEntry)
    assert (event.from_status, event.to_status, event.comment) == (
        RepairStatus.REPORTED,
        RepairStatus.AT_SUPPLIER,
        "στον προμηθευτή",
    )
    event.comment = "αλλαγμένο"
    with pytest.raises(RuntimeError):
        event.save()
    assert RepairEvent.objects.get(pk=event.pk).comment == "στον προμηθευτή"
    assert RepairEvent._meta.db_table == "schools_repairevent"
    assert AssetEvent._meta.db_table == "schools_assetevent"
