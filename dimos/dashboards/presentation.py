"""Labels and number formats of the dashboard's KPIs (what the selectors compute, said in Greek)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.charts import format_number
from dimos.dashboards.selectors import Figure

SECTION_TITLES: dict[str, Any] = {
    "applications": _("Αιτήσεις πολιτών"),
    "reports": _("Αναφορές πολιτών"),
    "alarms": _("Αισθητήρες πόλης"),
    "appointments": _("Ραντεβού"),
}
SECTION_LINKS: dict[str, Any] = {
    "applications": _("Οι αιτήσεις"),
    "reports": _("Οι αναφορές"),
    "alarms": _("Αισθητήρες και συναγερμοί"),
    "appointments": _("Τα ραντεβού της ημέρας"),
}
# kpi → (label, unit, decimals)
KPI_LABELS: dict[str, tuple[Any, Any, int]] = {
    "received": (_("Υποβλήθηκαν"), "", 0),
    "completed": (_("Ολοκληρώθηκαν"), "", 0),
    "median_days": (_("Διάμεσος χρόνος (ημέρες)"), "", 1),
    "on_time_share": (_("Εντός προθεσμίας"), "%", 1),
    "resolved": (_("Επιλύθηκαν"), "", 0),
    "reopen_share": (_("Άνοιξαν ξανά"), "%", 1),
    "opened": (_("Νέοι συναγερμοί"), "", 0),
    "open_now": (_("Ανοιχτοί συναγερμοί τώρα"), "", 0),
    "served": (_("Εξυπηρετήθηκαν"), "", 0),
    "no_show_share": (_("Δεν προσήλθαν"), "%", 1),
}


@dataclass(frozen=True)
class KpiCard:
    label: Any
    current: str
    previous: str
    change: str


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    kpis: list[KpiCard]
    link_url_name: str
    link_label: Any


def _written(value: float | None, unit: str, decimals: int) -> str:
    text = format_number(value, decimals)
    return f"{text} {unit}".strip() if value is not None and unit else text


def _change(figure: Figure, unit: str, decimals: int) -> str:
    change = figure.change
    if change is None:
        return "—"
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return f"{sign}{_written(abs(change), unit, decimals)}"


def kpi_cards(kpis: dict[str, dict[str, Figure]], links: dict[str, str]) -> list[Section]:
    """The dashboard's sections, their figures written out and the list each links to (or "")."""
    sections = []
    for key, figures in kpis.items():
        cards = []
        for name, figure in figures.items():
            label, unit, decimals = KPI_LABELS[name]
            cards.append(
                KpiCard(
                    label,
                    _written(figure.current, unit, decimals),
                    _written(figure.previous, unit, decimals),
                    _change(figure, unit, decimals),
                )
            )
        sections.append(Section(key, SECTION_TITLES[key], cards, links.get(key, ""), SECTION_LINKS[key]))
    return sections
