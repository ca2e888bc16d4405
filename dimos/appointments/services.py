"""Writes: booking, cancelling, rescheduling, the clerk's marks, reminders.

Never double-booked: a booking locks the ``SlotUsage`` rows of the slots it needs
with ``select_for_update`` (always in one query, ordered by counter and time, so
two bookings never wait on each other in opposite orders), checks the room left,
and increments them; the check constraint ``booked <= capacity`` backs this up
in the database. On SQLite the IMMEDIATE transaction mode serialises writers.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dimos.appointments import links
from dimos.appointments.constants import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    REMINDER_HOUR,
    SLOTS_TOPIC,
    STAFF_MARKS,
    TRANSITIONS,
    AppointmentStatus,
)
from dimos.appointments.models import (
    Appointment,
    AppointmentEvent,
    AppointmentType,
    ServicePoint,
    SlotUsage,
)
from dimos.appointments.selectors import counters_for, local_tz, slot_cells, slot_is_offered
from dimos.core.capabilities import Capability, has_capability
from dimos.core.exceptions import Conflict, PermissionDenied, TransitionNotAllowed, ValidationFailed
from dimos.core.models import Municipality
from dimos.core.services import audit_record, notify
from dimos.core.tasks import task_enqueue
from dimos.core.versions import data_changed


def _new_reference(municipality: Municipality) -> str:
    for _attempt in range(20):
        ref = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if not Appointment.objects.filter(municipality=municipality, reference=ref).exists():
            return ref
    raise RuntimeError("could not find a free appointment reference")  # 31^6 codes: never in practice


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value, local_tz())
    return f"{formats.date_format(local, 'l j E Y')}, {local:%H:%M}"


def _context(appointment: Appointment) -> dict[str, Any]:
    """What the notification templates see. No ΑΦΜ or other identifiers."""
    return {
        "reference": appointment.reference,
        "point_el": appointment.point.name_el,
        "point_en": appointment.point.name_en or appointment.point.name_el,
        "address": appointment.point.address,
        "counter": appointment.counter.name,
        "type_el": appointment.type.name_el,
        "type_en": appointment.type.name_en or appointment.type.name_el,
        "bring_el": appointment.type.description_el,
        "bring_en": appointment.type.description_en or appointment.type.description_el,
        "starts_at": timezone.localtime(appointment.starts_at, local_tz()),
        "manage_url": links.manage_url(appointment),
    }


def _lock_cells(
    municipality_id: int, keys: list[tuple[int, dt.datetime]], capacities: dict[int, int]
) -> dict:
    """Make sure the slot rows exist, then lock them all in one ordered query."""
    SlotUsage.objects.bulk_create(
        [
            SlotUsage(
                municipality_id=municipality_id,
                counter_id=counter_id,
                starts_at=starts_at,
                booked=0,
                capacity=capacities[counter_id],
            )
            for counter_id, starts_at in keys
        ],
        ignore_conflicts=True,
    )
    query = Q()
    for counter_id, starts_at in keys:
        query |= Q(counter_id=counter_id, starts_at=starts_at)
    rows = (
        SlotUsage.objects.select_for_update()
        .filter(Q(municipality_id=municipality_id) & query)
        .order_by("counter_id", "starts_at")
    )
    return {(row.counter_id, row.starts_at): row for row in rows}


def _release(appointment: Appointment, rows: dict) -> None:
    cells = slot_cells(
        point=appointment.point, appointment_type=appointment.type, starts_at=appointment.starts_at
    )
    for cell in cells:
        row = rows.get((appointment.counter_id, cell))
        if row is not None and row.booked > 0:
            row.booked -= 1
            row.save(update_fields=["booked"])


def _history(appointment: Appointment, *, actor: Any, from_status: str, comment: str = "") -> None:
    AppointmentEvent.objects.create(
        municipality_id=appointment.municipality_id,
        appointment=appointment,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=appointment.status,
        comment=comment[:300],
    )


def _schedule_reminder(appointment: Appointment) -> None:
    """The reminder is a durable task due the day before at REMINDER_HOUR (local).

    It carries the start time it was planned for: after a reschedule or a
    cancellation the task finds a different start or status and does nothing.
    A booking made after that moment gets no reminder (its confirmation is fresh).
    """
    tz = local_tz()
    local_start = timezone.localtime(appointment.starts_at, tz)
    remind_at = dt.datetime.combine(
        local_start.date() - dt.timedelta(days=1), dt.time(REMINDER_HOUR), tzinfo=tz
    )
    now = timezone.now()
    if remind_at <= now:
        return
    task_enqueue(
        "appointments.remind",
        {"appointment_id": appointment.pk, "starts_at": appointment.starts_at.isoformat()},
        delay=remind_at - now,
    )


def _check_bookable(
    *,
    municipality: Municipality,
    point: ServicePoint,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
    now: dt.datetime | None = None,
) -> None:
    if point.municipality_id != municipality.pk or appointment_type.municipality_id != municipality.pk:
        raise ValidationFailed(_("Το σημείο ή το είδος ραντεβού δεν ανήκει σε αυτόν τον δήμο."))
    if not point.is_active or not appointment_type.is_active:
        raise ValidationFailed(_("Αυτό το σημείο ή το είδος ραντεβού δεν δέχεται πλέον κρατήσεις."))
    if timezone.is_naive(starts_at):
        raise ValidationFailed(_("Η ώρα πρέπει να δίνεται με ζώνη ώρας."), field="starts_at")
    if not slot_is_offered(
        municipality=municipality,
        point=point,
        appointment_type=appointment_type,
        starts_at=starts_at,
        now=now,
    ):
        raise ValidationFailed(
            _("Η ώρα που επιλέξατε δεν είναι διαθέσιμη για κράτηση. Διαλέξτε μια ώρα από τη λίστα."),
            field="starts_at",
        )


def _reserve(
    *,
    municipality: Municipality,
    point: ServicePoint,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
    release: Appointment | None = None,
) -> int:
    """Lock the slots, release ``release``'s (a reschedule), take room on a counter."""
    counters = counters_for(municipality=municipality, point=point, appointment_type=appointment_type)
    if not counters:
        raise ValidationFailed(_("Κανένα γκισέ αυτού του σημείου δεν εξυπηρετεί αυτό το είδος ραντεβού."))
    capacities = {c.pk: c.capacity for c in counters}
    cells = slot_cells(point=point, appointment_type=appointment_type, starts_at=starts_at)
    keys = [(c.pk, cell) for c in counters for cell in cells]
    if release is not None:
        capacities[release.counter_id] = release.counter.capacity
        keys += [
            (release.counter_id, cell)
            for cell in slot_cells(
                point=release.point, appointment_type=release.type, starts_at=release.starts_at
            )
        ]
    rows = _lock_cells(municipality.pk, sorted(set(keys)), capacities)
    # After the slot locks: every writer takes them before the version row, one lock order for all.
    data_changed(municipality.pk, SLOTS_TOPIC)
    if release is not None:
        _release(release, rows)
    for counter in counters:
        cells_rows = [rows[(counter.pk, cell)] for cell in cells]
        if all(row.booked < counter.capacity for row in cells_rows):
            for row in cells_rows:
                row.booked += 1
                row.capacity = max(counter.capacity, row.booked)
                row.save(update_fields=["booked", "capacity"])
            return counter.pk
    raise Conflict(
        _("Η ώρα {when} μόλις κλείστηκε από άλλον πολίτη. Παρακαλούμε διαλέξτε άλλη ώρα.").format(
            when=_when(starts_at)
        ),
        code="slot_taken",
        field="starts_at",
    )


@transaction.atomic
def appointment_book(
    *,
    municipality: Municipality,
    citizen: Any,
    point: ServicePoint,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
) -> Appointment:
    """Book a slot. A repeated submit of the same booking returns the same appointment."""
    _check_bookable(
        municipality=municipality, point=point, appointment_type=appointment_type, starts_at=starts_at
    )
    existing = Appointment.objects.filter(
        municipality=municipality,
        citizen=citizen,
        point=point,
        type=appointment_type,
        starts_at=starts_at,
        status=AppointmentStatus.BOOKED,
    ).first()
    if existing is not None:
        return existing  # a double click: one booking
    ends_at = starts_at + dt.timedelta(minutes=appointment_type.duration_minutes)
    _check_citizen_free(municipality=municipality, citizen=citizen, starts_at=starts_at, ends_at=ends_at)
    counter_id = _reserve(
        municipality=municipality, point=point, appointment_type=appointment_type, starts_at=starts_at
    )
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                municipality=municipality,
                reference=_new_reference(municipality),
                point=point,
                counter_id=counter_id,
                type=appointment_type,
                citizen=citizen,
                starts_at=starts_at,
                ends_at=ends_at,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Έχετε ήδη ραντεβού που ξεκινά την ίδια ώρα."), code="citizen_busy", field="starts_at"
        ) from exc
    _history(appointment, actor=citizen, from_status="")
    audit_record(
        action="appointments.book", actor=citizen, obj=appointment, new={"starts_at": str(starts_at)}
    )
    notify(
        municipality=municipality, key="appointments.confirmed", context=_context(appointment), user=citizen
    )
    _schedule_reminder(appointment)
    return appointment


@transaction.atomic
def appointment_walk_in(
    *,
    municipality: Municipality,
    actor: Any,
    citizen: Any,
    point: ServicePoint,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Appointment:
    """The desk records a citizen who came without booking, at a slot of today's schedule.

    Unlike a booking, the slot may already have begun (the citizen is at the counter
    or was served earlier today), but it must be today's, on the schedule and free:
    the walk-in takes its room like any booking, so the day list stays true.
    """
    if not has_capability(actor, Capability.APPOINTMENTS_DESK) or actor.municipality_id != municipality.pk:
        raise PermissionDenied(_("Δεν έχετε δικαίωμα καταχώρισης ραντεβού στο γκισέ."))
    now = now or timezone.now()
    tz = local_tz()
    if timezone.is_naive(starts_at):
        raise ValidationFailed(_("Η ώρα πρέπει να δίνεται με ζώνη ώρας."), field="starts_at")
    today = timezone.localtime(now, tz).date()
    if timezone.localtime(starts_at, tz).date() != today:
        raise ValidationFailed(_("Στο γκισέ καταχωρίζονται μόνο ραντεβού της ημέρας."), field="starts_at")
    day_start = dt.datetime.combine(today, dt.time(0), tzinfo=tz)  # every slot of today counts
    _check_bookable(
        municipality=municipality,
        point=point,
        appointment_type=appointment_type,
        starts_at=starts_at,
        now=day_start - dt.timedelta(minutes=point.notice_minutes),
    )
    ends_at = starts_at + dt.timedelta(minutes=appointment_type.duration_minutes)
    _check_citizen_free(municipality=municipality, citizen=citizen, starts_at=starts_at, ends_at=ends_at)
    counter_id = _reserve(
        municipality=municipality, point=point, appointment_type=appointment_type, starts_at=starts_at
    )
    appointment = Appointment.objects.create(
        municipality=municipality,
        reference=_new_reference(municipality),
        point=point,
        counter_id=counter_id,
        type=appointment_type,
        citizen=citizen,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    _history(appointment, actor=actor, from_status="", comment=_("Χωρίς ραντεβού, στο γκισέ."))
    audit_record(
        action="appointments.walk_in",
        actor=actor,
        obj=appointment,
        municipality=municipality,
        new={"starts_at": str(starts_at)},
    )
    return appointment  # the citizen is at the desk: no confirmation e-mail, no reminder


def _check_citizen_free(
    *,
    municipality: Municipality,
    citizen: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    ignore: Appointment | None = None,
) -> None:
    clash = Appointment.objects.filter(
        municipality=municipality,
        citizen=citizen,
        status=AppointmentStatus.BOOKED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if ignore is not None:
        clash = clash.exclude(pk=ignore.pk)
    other = clash.select_related("point").first()
    if other is not None:
        raise Conflict(
            _(
                "Έχετε ήδη ραντεβού εκείνη την ώρα ({when}, {point}, κωδικός {ref}). "
                "Ακυρώστε ή αλλάξτε εκείνο πρώτα."
            ).format(when=_when(other.starts_at), point=other.point.name, ref=other.reference),
            code="citizen_busy",
            field="starts_at",
        )


def _lock(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("point", "type", "counter", "citizen")
        .get(pk=appointment.pk)
    )


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor: Any, comment: str = "") -> Appointment:
    """Cancel a live appointment and give its slot back."""
    appointment = _lock(appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise TransitionNotAllowed(
            _("Το ραντεβού δεν μπορεί να ακυρωθεί: είναι ήδη «{status}».").format(
                status=appointment.get_status_display()
            )
        )
    if appointment.starts_at <= timezone.now():
        raise ValidationFailed(_("Το ραντεβού έχει ήδη ξεκινήσει· δεν μπορεί πλέον να ακυρωθεί."))
    keys = [
        (appointment.counter_id, cell)
        for cell in slot_cells(
            point=appointment.point, appointment_type=appointment.type, starts_at=appointment.starts_at
        )
    ]
    rows = _lock_cells(
        appointment.municipality_id, keys, {appointment.counter_id: appointment.counter.capacity}
    )
    data_changed(appointment.municipality_id, SLOTS_TOPIC)  # after the slot locks, as in _reserve
    _release(appointment, rows)
    old = appointment.status
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status", "updated_at"])
    _history(appointment, actor=actor, from_status=old, comment=comment)
    audit_record(action="appointments.cancel", actor=actor, obj=appointment, old={"status": old})
    by_staff = getattr(actor, "pk", None) != appointment.citizen_id
    notify(
        municipality=appointment.municipality,
        key="appointments.cancelled",
        context={**_context(appointment), "by_staff": by_staff, "comment": comment},
        user=appointment.citizen,
    )
    return appointment


@transaction.atomic
def appointment_reschedule(*, appointment: Appointment, actor: Any, starts_at: dt.datetime) -> Appointment:
    """Move a live appointment: a new booking replaces the old, atomically."""
    appointment = _lock(appointment)
    municipality = appointment.municipality
    if appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= timezone.now():
        raise TransitionNotAllowed(_("Μόνο ένα ενεργό, μελλοντικό ραντεβού μπορεί να αλλάξει ώρα."))
    if starts_at == appointment.starts_at:
        raise ValidationFailed(_("Διαλέξτε ώρα διαφορετική από την τρέχουσα."), field="starts_at")
    _check_bookable(
        municipality=municipality,
        point=appointment.point,
        appointment_type=appointment.type,
        starts_at=starts_at,
    )
    ends_at = starts_at + dt.timedelta(minutes=appointment.type.duration_minutes)
    _check_citizen_free(
        municipality=municipality,
        citizen=appointment.citizen,
        starts_at=starts_at,
        ends_at=ends_at,
        ignore=appointment,
    )
    counter_id = _reserve(
        municipality=municipality,
        point=appointment.point,
        appointment_type=appointment.type,
        starts_at=starts_at,
        release=appointment,
    )
    appointment.status = AppointmentStatus.CANCELLED
    appointment.save(update_fields=["status", "updated_at"])
    _history(appointment, actor=actor, from_status=AppointmentStatus.BOOKED, comment="rescheduled")
    new = Appointment.objects.create(
        municipality=municipality,
        reference=_new_reference(municipality),
        point=appointment.point,
        counter_id=counter_id,
        type=appointment.type,
        citizen=appointment.citizen,
        starts_at=starts_at,
        ends_at=ends_at,
        rescheduled_from=appointment,
    )
    _history(new, actor=actor, from_status="", comment=f"rescheduled from {appointment.reference}")
    audit_record(
        action="appointments.reschedule",
        actor=actor,
        obj=new,
        old={"reference": appointment.reference, "starts_at": str(appointment.starts_at)},
        new={"starts_at": str(starts_at)},
    )
    notify(
        municipality=municipality,
        key="appointments.rescheduled",
        context={
            **_context(new),
            "old_starts_at": appointment.starts_at,
            "old_reference": appointment.reference,
        },
        user=new.citizen,
    )
    _schedule_reminder(new)
    return new


@transaction.atomic
def appointment_mark(*, appointment: Appointment, actor: Any, status: str, comment: str = "") -> Appointment:
    """The clerk marks an appointment served or no-show (per the transition table)."""
    if not has_capability(actor, Capability.APPOINTMENTS_DESK):
        raise PermissionDenied(_("Η σήμανση ραντεβού γίνεται από το γκισέ."))
    if status not in STAFF_MARKS:
        raise ValidationFailed(_("Μη έγκυρη σήμανση."), field="status")
    appointment = _lock(appointment)
    if status not in TRANSITIONS[appointment.status]:
        raise TransitionNotAllowed(
            _("Δεν επιτρέπεται η αλλαγή από «{old}» σε «{new}».").format(
                old=appointment.get_status_display(), new=AppointmentStatus(status).label
            )
        )
    now = timezone.now()
    if status == AppointmentStatus.NO_SHOW and appointment.starts_at > now:
        raise ValidationFailed(_("Η μη προσέλευση σημειώνεται μόνο μετά την ώρα του ραντεβού."))
    today = timezone.localtime(now, local_tz()).date()
    if (
        status == AppointmentStatus.SERVED
        and timezone.localtime(appointment.starts_at, local_tz()).date() > today
    ):
        raise ValidationFailed(_("Ένα ραντεβού σημειώνεται ως εξυπηρετημένο από την ημέρα του και μετά."))
    old = appointment.status
    appointment.status = status
    appointment.save(update_fields=["status", "updated_at"])
    _history(appointment, actor=actor, from_status=old, comment=comment)
    audit_record(
        action="appointments.mark", actor=actor, obj=appointment, old={"status": old}, new={"status": status}
    )
    return appointment


def appointment_send_reminder(*, appointment_id: int, starts_at: str) -> bool:
    """Send the day-before reminder once. Idempotent: a conditional UPDATE claims it.

    Nothing is sent if the appointment was cancelled, moved (``starts_at`` no
    longer matches) or already reminded.
    """
    planned = dt.datetime.fromisoformat(starts_at)
    claimed = Appointment.objects.filter(
        pk=appointment_id,
        status=AppointmentStatus.BOOKED,
        starts_at=planned,
        reminder_sent_at__isnull=True,
        starts_at__gt=timezone.now(),
    ).update(reminder_sent_at=timezone.now())
    if not claimed:
        return False
    appointment = Appointment.objects.select_related(
        "point", "type", "counter", "citizen", "municipality"
    ).get(pk=appointment_id)
    notify(
        municipality=appointment.municipality,
        key="appointments.reminder",
        context=_context(appointment),
        user=appointment.citizen,
        channels=("email", "sms"),
    )
    return True
