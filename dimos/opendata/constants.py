"""Controlled vocabularies of the catalogue: EU themes, frequencies, formats, HVD categories, licence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EU_LICENCE = "http://publications.europa.eu/resource/authority/licence/"
HVD_SCHEME = "http://data.europa.eu/bna/asd487ae75"
HVD_LEGISLATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"

# EU data themes (CKAN groups). Labels for the facets and the group list.
THEMES: dict[str, tuple[str, str]] = {
    "ENVI": ("Περιβάλλον", "Environment"),
    "TRAN": ("Μεταφορές", "Transport"),
    "GOVE": ("Κυβέρνηση και δημόσιος τομέας", "Government and public sector"),
    "REGI": ("Περιφέρειες και πόλεις", "Regions and cities"),
    "EDUC": ("Παιδεία, πολιτισμός και αθλητισμός", "Education, culture and sport"),
    "SOCI": ("Πληθυσμός και κοινωνία", "Population and society"),
}

FREQUENCIES = {"HOURLY", "DAILY", "MONTHLY", "UPDATE_CONT", "IRREG"}

# High-value dataset categories (http://data.europa.eu/bna/…), Implementing Regulation (EU) 2023/138.
HVD_CATEGORIES: dict[str, tuple[str, str]] = {
    "c_dd313021": ("Γεωσκόπηση και περιβάλλον", "Earth observation and environment"),
    "c_b79e35eb": ("Κινητικότητα", "Mobility"),
    "c_ac64a52d": ("Γεωχωρικά δεδομένα", "Geospatial"),
}

LICENCE_ID = "CC-BY-4.0"
LICENCE_TITLE = "Creative Commons Attribution 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_EU = EU_LICENCE + "CC_BY_4_0"

# Format code → (media type, EU file-type code, file suffix).
FORMATS: dict[str, tuple[str, str, str]] = {
    "CSV": ("text/csv", "CSV", "csv"),
    "JSON": ("application/json", "JSON", "json"),
    "GeoJSON": ("application/geo+json", "GEOJSON", "geojson"),
}

# Cells that count fewer people than this are suppressed (open-data.md: privacy).
SMALL_COUNT = 5

COLUMN_TYPES = {
    "text": _("κείμενο"),
    "int": _("ακέραιος"),
    "numeric": _("αριθμός"),
    "timestamp": _("χρονική στιγμή"),
    "date": _("ημερομηνία"),
}
