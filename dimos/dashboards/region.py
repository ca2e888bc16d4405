"""The Region's comparison of its municipalities, side by side (reads only; issue 14, item 6).

Aggregates only — counts and rates per 1,000 residents — never a case or a person.
Population is the sum of the municipality's units (``MunicipalUnit.population``,
2011 census in the demo); a municipality with no population has no rates ("—").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from dimos.core.models import Municipality, MunicipalUnit
from dimos.dashboards.selectors import RESOLVED, Period, in_period
from dimos.eservices.models import Application
from dimos.reports.models import Report


@dataclass(frozen=True)
class MunicipalityRow:
    slug: str
    name: str
    population: int | None
    applications: int
    reports: int
    reports_resolved: int

    def per_1000(self, count: int) -> float | None:
        return round(1000 * count / self.population, 2) if self.population else None

    @property
    def applications_per_1000(self) -> float | None:
        return self.per_1000(self.applications)

    @property
    def reports_per_1000(self) -> float | None:
        return self.per_1000(self.reports)

    @property
    def resolved_share(self) -> float | None:
        return round(100 * self.reports_resolved / self.reports, 1) if self.reports else None


def region_comparison(period: Period) -> list[MunicipalityRow]:
    """Every active municipality with its counts in ``period``, ranked by reports per 1,000 residents."""
    population = dict(
        MunicipalUnit.objects.values("municipality")
        .annotate(n=Sum("population"))
        .values_list("municipality", "n")
    )
    applications = dict(
        Application.objects.filter(in_period("submitted_at", period))
        .values("municipality")
        .annotate(n=Count("id"))
        .values_list("municipality", "n")
    )
    reports = {
        row["municipality"]: row
        for row in Report.objects.filter(in_period("created_at", period))
        .values("municipality")
        .annotate(n=Count("id"), resolved=Count("id", filter=Q(status__in=RESOLVED)))
    }
    rows = [
        MunicipalityRow(
            slug=m.slug,
            name=m.name_el,
            population=population.get(m.pk) or None,
            applications=applications.get(m.pk, 0),
            reports=reports.get(m.pk, {}).get("n", 0),
            reports_resolved=reports.get(m.pk, {}).get("resolved", 0),
        )
        for m in Municipality.objects.filter(is_active=True).order_by("name_el")
    ]
    return sorted(rows, key=lambda r: (r.reports_per_1000 is None, -(r.reports_per_1000 or 0), r.name))
