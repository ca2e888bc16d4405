"""Service performance: e-services per month, protocol volume, appointments and no-shows.

Counts only, per month; cells that count fewer than five applications or
appointments are left empty (open-data.md: small counts could single someone out).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.utils import timezone

from dimos.appointments.constants import AppointmentStatus
from dimos.appointments.models import Appointment
from dimos.core.models import Municipality
from dimos.core.workdays import working_days_between
from dimos.eservices.constants import Status
from dimos.eservices.models import Application, ProtocolEntry
from dimos.opendata.constants import SMALL_COUNT
from dimos.opendata.registry import BuildResult, Column, DatasetSpec, dataset_builder, suppress

MONTH = Column("month", "text", "Μήνας (ΕΕΕΕ-ΜΜ)", "Month (YYYY-MM)")
DECIDED = {Status.APPROVED, Status.REJECTED, Status.ISSUED, Status.CLOSED}


def _month(at: datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m")


ESERVICES = DatasetSpec(
    key="eservices-performance",
    title_el="Απόδοση ηλεκτρονικών υπηρεσιών ανά μήνα",
    title_en="E-services performance per month",
    description_el=(
        "Ανά ηλεκτρονική υπηρεσία και μήνα: αιτήσεις που υποβλήθηκαν, αιτήσεις που ολοκληρώθηκαν, διάμεσος "
        "χρόνος διεκπεραίωσης σε εργάσιμες ημέρες και ποσοστό εντός της νόμιμης προθεσμίας. Κελιά με "
        "λιγότερες από 5 αιτήσεις μένουν κενά."
    ),
    description_en=(
        "Per e-service and month: applications received, applications completed, median working days to "
        "complete and share completed within the legal deadline. Cells with fewer than 5 applications are "
        "left empty."
    ),
    themes=("GOVE",),
    keywords=("e-services", "performance", "applications"),
    keywords_el=("ηλεκτρονικές υπηρεσίες", "αιτήσεις", "απόδοση"),
    frequency="MONTHLY",
    columns=(
        Column("service", "text", "Κωδικός υπηρεσίας", "Service code"),
        Column("service_title", "text", "Υπηρεσία", "Service"),
        MONTH,
        Column("received", "int", "Αιτήσεις που υποβλήθηκαν", "Applications received"),
        Column("completed", "int", "Αιτήσεις που ολοκληρώθηκαν", "Applications completed"),
        Column("median_working_days", "numeric", "Διάμεσος χρόνος (εργάσιμες ημέρες)", "Median working days"),
        Column("on_time_pct", "numeric", "Εντός προθεσμίας (%)", "Within the legal deadline (%)"),
    ),
    chart=("month", "received"),
)


@dataset_builder(ESERVICES)
def eservices(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    holidays = municipality.local_holidays or []
    received: dict[tuple, int] = defaultdict(int)
    days: dict[tuple, list[int]] = defaultdict(list)
    on_time: dict[tuple, int] = defaultdict(int)
    titles: dict[str, str] = {}
    qs = Application.objects.filter(municipality=municipality, submitted_at__isnull=False).values_list(
        "service__slug", "service__title_el", "status", "submitted_at", "decided_at", "deadline"
    )
    for slug, title, status, submitted, decided, deadline in qs.iterator(chunk_size=5000):
        titles[slug] = title
        received[(slug, _month(submitted))] += 1
        if decided and status in DECIDED:
            key = (slug, _month(decided))
            end = timezone.localdate(decided)
            days[key].append(working_days_between(timezone.localdate(submitted), end, holidays))
            on_time[key] += 1 if deadline is None or end <= deadline else 0

    def rows() -> Iterator[dict[str, Any]]:
        for slug, month in sorted(set(received) | set(days), key=lambda k: (k[1], k[0])):
            done = days.get((slug, month), [])
            enough = len(done) >= SMALL_COUNT
            yield {
                "service": slug,
                "service_title": titles[slug],
                "month": month,
                "received": suppress(received.get((slug, month), 0)),
                "completed": suppress(len(done)),
                "median_working_days": statistics.median(done) if enough else None,
                "on_time_pct": round(100 * on_time[(slug, month)] / len(done), 1) if enough else None,
            }

    return BuildResult(rows=rows())


PROTOCOL = DatasetSpec(
    key="protocol-volume",
    title_el="Όγκος πρωτοκόλλου ανά μήνα",
    title_en="Protocol register volume per month",
    description_el="Πλήθος εγγραφών του γενικού πρωτοκόλλου ανά μήνα και κατεύθυνση (εισερχόμενα, εξερχόμενα). Μόνο πλήθη.",
    description_en="Number of protocol register entries per month and direction (incoming, outgoing). Counts only.",
    themes=("GOVE",),
    keywords=("protocol", "register", "administration"),
    keywords_el=("πρωτόκολλο", "διοίκηση"),
    frequency="MONTHLY",
    columns=(
        MONTH,
        Column("direction", "text", "Κατεύθυνση (in, out)", "Direction (in, out)"),
        Column("entries", "int", "Εγγραφές (χωρίς τις ακυρωμένες)", "Entries (voided ones excluded)"),
    ),
    chart=("month", "entries"),
)


@dataset_builder(PROTOCOL)
def protocol(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    qs = ProtocolEntry.objects.filter(municipality=municipality, voided=False).values_list(
        "registered_at", "direction"
    )
    for registered, direction in qs.iterator(chunk_size=5000):
        counts[(_month(registered), direction)] += 1
    return BuildResult(
        rows=iter({"month": m, "direction": d, "entries": n} for (m, d), n in sorted(counts.items()))
    )


APPOINTMENTS = DatasetSpec(
    key="appointments",
    title_el="Ραντεβού ανά σημείο εξυπηρέτησης και μήνα",
    title_en="Appointments per service point and month",
    description_el=(
        "Ραντεβού ανά σημείο εξυπηρέτησης και μήνα: κλεισμένα, εξυπηρετήθηκαν, δεν προσήλθαν, ακυρώθηκαν "
        "και ποσοστό μη προσέλευσης. Κελιά κάτω από 5 μένουν κενά."
    ),
    description_en=(
        "Appointments per service point and month: booked, served, no-shows, cancelled and the no-show "
        "rate. Cells under 5 are left empty."
    ),
    themes=("GOVE",),
    keywords=("appointments", "service-points", "no-show"),
    keywords_el=("ραντεβού", "εξυπηρέτηση"),
    frequency="MONTHLY",
    columns=(
        Column("point", "text", "Σημείο εξυπηρέτησης", "Service point"),
        MONTH,
        Column("booked", "int", "Ραντεβού (όλα)", "Appointments (all)"),
        Column("served", "int", "Εξυπηρετήθηκαν", "Served"),
        Column("no_show", "int", "Δεν προσήλθαν", "No-shows"),
        Column("cancelled", "int", "Ακυρώθηκαν", "Cancelled"),
        Column(
            "no_show_pct",
            "numeric",
            "Μη προσέλευση (% των ραντεβού που έληξαν)",
            "No-show rate (% of past appointments)",
        ),
    ),
    chart=("month", "booked"),
)


@dataset_builder(APPOINTMENTS)
def appointments(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    qs = Appointment.objects.filter(municipality=municipality).values_list(
        "point__name_el", "starts_at", "status"
    )
    for point, starts, status in qs.iterator(chunk_size=5000):
        cell = counts[(point, _month(starts))]
        cell["booked"] += 1
        cell[status] += 1

    def rows() -> Iterator[dict[str, Any]]:
        for (point, month), c in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            ended = c[AppointmentStatus.SERVED] + c[AppointmentStatus.NO_SHOW]
            yield {
                "point": point,
                "month": month,
                "booked": suppress(c["booked"]),
                "served": suppress(c[AppointmentStatus.SERVED]),
                "no_show": suppress(c[AppointmentStatus.NO_SHOW]),
                "cancelled": suppress(c[AppointmentStatus.CANCELLED]),
                "no_show_pct": round(100 * c[AppointmentStatus.NO_SHOW] / ended, 1)
                if ended >= SMALL_COUNT
                else None,
            }

    return BuildResult(rows=rows())
