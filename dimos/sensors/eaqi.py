"""The European Air Quality Index, 2024 revision of the bands (EEA).

Hourly concentrations in µg/m³. EDGE RULE: a value equal to a band's upper edge
belongs to the LOWER band (PM2.5 = 5 is "Good", 5.01 is "Fair"). The overall index
of a station is the worst band among the pollutants it measures. The 2017 bands and
the 24-hour PM means are not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

# Upper edges of Good, Fair, Moderate, Poor, Very poor; above the last is Extremely poor.
EDGES: dict[str, tuple[float, float, float, float, float]] = {
    "pm25": (5, 15, 50, 90, 140),
    "pm10": (15, 45, 120, 195, 270),
    "no2": (10, 25, 60, 100, 150),
    "o3": (60, 100, 120, 160, 180),
    "so2": (20, 40, 125, 190, 275),
}


@dataclass(frozen=True)
class Band:
    level: int  # 1 (Good) … 6 (Extremely poor)
    code: str
    label: Any
    colour: str
    text_colour: str
    advice_general: Any
    advice_sensitive: Any


BANDS = [
    Band(
        1,
        "good",
        _("Καλή"),
        "#50f0e6",
        "#00332f",
        _("Η ποιότητα του αέρα είναι καλή. Απολαύστε τις δραστηριότητές σας στο ύπαιθρο."),
        _("Απολαύστε τις δραστηριότητές σας στο ύπαιθρο."),
    ),
    Band(
        2,
        "fair",
        _("Μέτρια"),
        "#50ccaa",
        "#00332a",
        _("Απολαύστε τις δραστηριότητές σας στο ύπαιθρο."),
        _("Οι ευαίσθητες ομάδες μπορούν να συνεχίσουν κανονικά τις υπαίθριες δραστηριότητες."),
    ),
    Band(
        3,
        "moderate",
        _("Μέση"),
        "#f0e641",
        "#3d3800",
        _("Απολαύστε τις δραστηριότητές σας στο ύπαιθρο."),
        _("Οι ευαίσθητες ομάδες ας σκεφτούν να περιορίσουν την έντονη άσκηση στο ύπαιθρο."),
    ),
    Band(
        4,
        "poor",
        _("Κακή"),
        "#ff5050",
        "#3d0000",
        _(
            "Σκεφτείτε να περιορίσετε την έντονη δραστηριότητα στο ύπαιθρο αν έχετε συμπτώματα "
            "όπως ερεθισμό στα μάτια, βήχα ή πονόλαιμο."
        ),
        _("Οι ευαίσθητες ομάδες ας περιορίσουν την έντονη άσκηση στο ύπαιθρο."),
    ),
    Band(
        5,
        "very_poor",
        _("Πολύ κακή"),
        "#960032",
        "#ffffff",
        _("Περιορίστε την έντονη δραστηριότητα στο ύπαιθρο."),
        _(
            "Οι ευαίσθητες ομάδες ας αποφύγουν την έντονη δραστηριότητα στο ύπαιθρο και ας "
            "μένουν περισσότερο σε εσωτερικούς χώρους."
        ),
    ),
    Band(
        6,
        "extremely_poor",
        _("Εξαιρετικά κακή"),
        "#7d2181",
        "#ffffff",
        _("Αποφύγετε την έντονη δραστηριότητα στο ύπαιθρο."),
        _(
            "Οι ευαίσθητες ομάδες ας μείνουν σε εσωτερικούς χώρους και ας αποφύγουν κάθε έντονη "
            "δραστηριότητα."
        ),
    ),
]


def band_for(pollutant: str, value: float) -> Band:
    """The band of one hourly concentration (upper edge inclusive in the lower band)."""
    edges = EDGES[pollutant]
    for level, edge in enumerate(edges):
        if value <= edge:
            return BANDS[level]
    return BANDS[5]


def station_index(values: dict[str, Any]) -> tuple[Band | None, dict[str, Band]]:
    """The overall band (worst pollutant) and the band of each measured pollutant."""
    per = {
        name: band_for(name, float(values[name]))
        for name in EDGES
        if isinstance(values.get(name), int | float) and not isinstance(values.get(name), bool)
    }
    if not per:
        return None, {}
    return max(per.values(), key=lambda b: b.level), per
