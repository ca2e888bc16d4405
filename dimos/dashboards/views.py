"""The mayor's dashboard (staff) and «Ο δήμος σε αριθμούς» (public). Thin: selectors compute."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dimos.core.capabilities import Capability, has_capability
from dimos.core.charts import Chart, bar_chart, chart_csv
from dimos.core.csv_export import Column, csv_response
from dimos.core.tenancy import require_municipality, staff_required
from dimos.dashboards import selectors
from dimos.dashboards.presentation import kpi_cards
from dimos.dashboards.region import region_comparison

# Each section of the dashboard links to the list behind it, for roles that may see that list.
LISTS: dict[str, tuple[str, Capability]] = {
    "applications": ("services:staff_queue", Capability.ESERVICES_HANDLE),
    "reports": ("reports:queue", Capability.REPORTS_HANDLE),
    "alarms": ("sensors:dashboard", Capability.SENSORS_READ),
    "appointments": ("appointments:day_list", Capability.APPOINTMENTS_DESK),
}


def _month_label(first: Any) -> str:
    return date_format(first, "M y")


@staff_required(capability=Capability.DASHBOARD_VIEW)
@require_GET
def mayor(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    today = timezone.localdate()
    period = selectors.Period.ending(today)
    kpis = selectors.municipality_kpis(municipality, period)
    links = {
        section: url_name
        for section, (url_name, capability) in LISTS.items()
        if has_capability(request.user, capability)
    }
    months = selectors.monthly_counts(municipality, last=today)
    labels = [_month_label(m.first) for m in months]
    charts = [
        Chart(
            _("Αιτήσεις που υποβλήθηκαν ανά μήνα"),
            labels,
            [m.applications for m in months],
            label_heading=_("Μήνας"),
            value_heading=_("Αιτήσεις"),
        ),
        Chart(
            _("Αναφορές πολιτών ανά μήνα"),
            labels,
            [m.reports for m in months],
            label_heading=_("Μήνας"),
            value_heading=_("Αναφορές"),
        ),
    ]
    context = {
        "period": period,
        "previous": period.previous(),
        "sections": kpi_cards(kpis, links),
        "charts": [(chart, bar_chart(chart)) for chart in charts],
        "overdue": selectors.overdue_by_department(municipality, today),
        "open_reports": selectors.open_reports_by_department(municipality),
    }
    return render(request, "dashboards/mayor.html", context)


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """Public key figures: aggregate counts only, small counts suppressed (open-data.md)."""
    municipality = require_municipality(request)
    today = timezone.localdate()
    months = selectors.monthly_counts(municipality, last=today, months=12)
    labels = [_month_label(m.first) for m in months]
    charts = {
        "applications": Chart(
            _("Αιτήσεις ηλεκτρονικών υπηρεσιών ανά μήνα"),
            labels,
            [selectors.suppress_small(m.applications) for m in months],
            label_heading=_("Μήνας"),
            value_heading=_("Αιτήσεις"),
        ),
        "reports": Chart(
            _("Αναφορές πολιτών ανά μήνα"),
            labels,
            [selectors.suppress_small(m.reports) for m in months],
            label_heading=_("Μήνας"),
            value_heading=_("Αναφορές"),
        ),
    }
    wanted = request.GET.get("csv")
    if wanted is not None:
        chart = charts.get(wanted)
        if chart is None:
            return HttpResponse(
                _("Άγνωστο γράφημα. Διαθέσιμα: %(names)s.") % {"names": ", ".join(charts)},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(chart_csv(chart), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{municipality.slug}-{wanted}.csv"'
        return response
    context = {
        "charts": [(name, chart, bar_chart(chart)) for name, chart in charts.items()],
        "small_count": selectors.SMALL_COUNT,
    }
    return render(request, "dashboards/figures.html", context)


@staff_required(capability=Capability.REGION_READ)
@require_GET
def region(request: HttpRequest) -> HttpResponse:
    """The Region's municipalities side by side: rates per 1,000 residents, a ranking, CSV."""
    period = selectors.Period.ending(timezone.localdate())
    rows = region_comparison(period)
    if request.GET.get("format") == "csv":
        return _region_csv(rows, period)
    chart = Chart(
        _("Αναφορές πολιτών ανά 1.000 κατοίκους (30 ημέρες)"),
        [row.name for row in rows],
        [row.reports_per_1000 for row in rows],
        decimals=2,
        label_heading=_("Δήμος"),
        value_heading=_("Αναφορές ανά 1.000 κατοίκους"),
    )
    context = {"period": period, "rows": rows, "chart": chart, "svg": bar_chart(chart)}
    return render(request, "dashboards/region.html", context)


def _region_csv(rows: list[Any], period: selectors.Period) -> HttpResponse:
    columns = [
        Column("municipality", _("Δήμος")),
        Column("population", _("Πληθυσμός")),
        Column("applications", _("Αιτήσεις")),
        Column("applications_per_1000", _("Αιτήσεις ανά 1.000 κατοίκους")),
        Column("reports", _("Αναφορές")),
        Column("reports_per_1000", _("Αναφορές ανά 1.000 κατοίκους")),
        Column("reports_resolved_share", _("Ποσοστό επιλυμένων αναφορών")),
    ]
    values = (
        (
            row.name,
            row.population,
            row.applications,
            row.applications_per_1000,
            row.reports,
            row.reports_per_1000,
            row.resolved_share,
        )
        for row in rows
    )
    return csv_response(f"region-{period.first}-{period.last}.csv", columns, values)
