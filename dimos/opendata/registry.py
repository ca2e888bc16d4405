"""The registry of dataset builders: one module per topic under ``builders/``.

A builder declares what it publishes (``DatasetSpec``: bilingual title and
description, EU themes, keywords, frequency, columns, HVD category) and yields
rows for one municipality. ``@dataset_builder(spec)`` registers it; the build
service (``services.py``) writes the files. See docs/development.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dimos.opendata.constants import FREQUENCIES, HVD_CATEGORIES, SMALL_COUNT, THEMES


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text, int, numeric, timestamp, date (COLUMN_TYPES)
    description_el: str
    description_en: str


@dataclass
class BuildResult:
    """What a builder hands to the build service.

    ``rows`` is an iterator of dicts (keys = column names); ``geometry`` (when the
    dataset is spatial) turns a row into a GeoJSON geometry. ``watermark`` is where
    the next incremental build starts; ``temporal`` the (first, last) dates covered.
    """

    rows: Iterator[dict[str, Any]]
    watermark: datetime | None = None
    temporal: tuple[Any, Any] | None = None


@dataclass(frozen=True)
class DatasetSpec:
    key: str
    title_el: str
    title_en: str
    description_el: str
    description_en: str
    themes: tuple[str, ...]
    keywords: tuple[str, ...]  # CKAN tags: lower-case slugs
    keywords_el: tuple[str, ...]
    frequency: str
    columns: tuple[Column, ...]
    hvd_category: str | None = None
    spatial: bool = False  # a GeoJSON distribution too (rows carry lat/lon or a geometry)
    incremental: bool = False  # the builder accepts ``since`` (append-only rows)
    # Column pair (label, value) the dataset page charts from the preview rows.
    chart: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        unknown = set(self.themes) - set(THEMES)
        if unknown or self.frequency not in FREQUENCIES:
            raise ValueError(f"dataset {self.key}: unknown theme {unknown} or frequency {self.frequency}")
        if self.hvd_category and self.hvd_category not in HVD_CATEGORIES:
            raise ValueError(f"dataset {self.key}: unknown HVD category {self.hvd_category}")

    @property
    def formats(self) -> tuple[str, ...]:
        return ("CSV", "JSON", "GeoJSON") if self.spatial else ("CSV", "JSON")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


Builder = Callable[..., BuildResult]


@dataclass
class Registered:
    spec: DatasetSpec
    build: Builder
    geometry: Callable[[dict[str, Any]], dict[str, Any] | None] | None = field(default=None)


_REGISTRY: dict[str, Registered] = {}


def dataset_builder(
    spec: DatasetSpec, *, geometry: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None
) -> Callable[[Builder], Builder]:
    """Register ``build(*, municipality, since=None) -> BuildResult`` for ``spec``."""

    def register(func: Builder) -> Builder:
        if spec.key in _REGISTRY:
            raise RuntimeError(f"dataset builder {spec.key!r} registered twice")
        if spec.spatial and geometry is None:
            raise RuntimeError(f"spatial dataset {spec.key!r} needs a geometry function")
        _REGISTRY[spec.key] = Registered(spec=spec, build=func, geometry=geometry)
        return func

    return register


def registered_builders() -> dict[str, Registered]:
    return dict(_REGISTRY)


def builder_for(key: str) -> Registered:
    return _REGISTRY[key]


def point_geometry(row: dict[str, Any]) -> dict[str, Any] | None:
    """A GeoJSON Point from a row's ``lat``/``lon`` columns (None when the row has no location)."""
    if row.get("lat") is None or row.get("lon") is None:
        return None
    return {"type": "Point", "coordinates": [row["lon"], row["lat"]]}


def suppress(count: int) -> int | None:
    """A count of people, or None (an empty cell) when it is small enough to single someone out."""
    return count if count == 0 or count >= SMALL_COUNT else None
