"""Reads of the catalogue. Every selector takes the set of municipalities it reads.

A municipality's host passes its own municipality; the Region host (issue 14,
the Digital Region) passes every active municipality and gets the union, with
no other change anywhere in the catalogue, the CKAN API or the pages.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from dimos.core.greek import normalize_greek
from dimos.core.models import Municipality
from dimos.opendata.models import Dataset, DatasetVersion, Distribution
from dimos.opendata.registry import DatasetSpec, builder_for, registered_builders
from dimos.opendata.services import media_path


def catalogue_scope(municipality: Municipality | None) -> list[Municipality]:
    """The municipalities a host's catalogue covers (one municipality; the Region host: all)."""
    return [municipality] if municipality is not None else []


def spec_of(dataset: Dataset) -> DatasetSpec | None:
    """The builder's declaration of a dataset (None for a dataset whose builder was removed)."""
    registered = registered_builders().get(dataset.key)
    return registered.spec if registered else None


def published_datasets(municipalities: Sequence[Municipality]) -> QuerySet[Dataset]:
    """Datasets with at least one good version, of the given municipalities, whose builder still exists."""
    return (
        Dataset.objects.filter(
            municipality__in=municipalities, current__isnull=False, key__in=list(registered_builders())
        )
        .select_related("current", "municipality")
        .order_by("name")
    )


def dataset_lookup(municipalities: Sequence[Municipality], ident: str) -> Dataset | None:
    """A published dataset by CKAN name or id."""
    qs = published_datasets(municipalities)
    found = qs.filter(name=ident).first()
    if found is None and len(ident) == 36:
        try:
            found = qs.filter(uid=ident).first()
        except Exception:  # not a UUID
            found = None
    return found


@dataclass(frozen=True)
class Filters:
    """``package_search`` / page filters: every value must match (AND), as CKAN's ``fq`` does."""

    organization: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    res_format: tuple[str, ...] = ()
    name: tuple[str, ...] = ()


def dataset_search(
    municipalities: Sequence[Municipality], *, q: str = "", filters: Filters = Filters()
) -> QuerySet[Dataset]:
    """Greek-aware text search (accents and case ignored) plus field filters, as SQL."""
    qs = published_datasets(municipalities)
    for term in normalize_greek(q).split():
        if term not in ("*", "*:*"):
            qs = qs.filter(search_text__contains=term)
    for slug in filters.organization:
        qs = qs.filter(municipality__slug=slug)
    for tag in filters.tags:
        qs = qs.filter(tags__contains=f" {tag} ")
    for group in filters.groups:
        qs = qs.filter(themes__contains=f" {group.upper()} ")
    for fmt in filters.res_format:
        qs = qs.filter(Q(formats__icontains=f" {fmt} "))
    for name in filters.name:
        qs = qs.filter(name=name)
    return qs


def search_facets(qs: QuerySet[Dataset], fields: Iterable[str]) -> dict[str, dict[str, int]]:
    """Counts per value of each facet field over the whole result (not only the page shown)."""
    wanted = set(fields)
    facets: dict[str, dict[str, int]] = {f: {} for f in wanted}
    if not wanted:
        return facets
    for slug, themes, tags, formats in qs.values_list("municipality__slug", "themes", "tags", "formats"):
        values = {
            "organization": [slug],
            "groups": [t.lower() for t in themes.split()],
            "tags": tags.split(),
            "res_format": formats.split(),
        }
        for field in wanted:
            for value in values.get(field, []):
                facets[field][value] = facets[field].get(value, 0) + 1
    return facets


def current_distributions(datasets: Sequence[Dataset]) -> dict[int, list[Distribution]]:
    """The files of each dataset's current version, in one query."""
    by_version: dict[int, list[Distribution]] = {}
    for dist in Distribution.objects.filter(version_id__in=[d.current_id for d in datasets]).order_by("pk"):
        by_version.setdefault(dist.version_id, []).append(dist)
    return {d.pk: by_version.get(d.current_id, []) for d in datasets}


def dataset_versions(dataset: Dataset) -> QuerySet[DatasetVersion]:
    return dataset.versions.order_by("-number").prefetch_related("distributions")


def resource_lookup(municipalities: Sequence[Municipality], resource_id: str) -> Distribution | None:
    """The current file with this resource id, if its dataset is published in scope."""
    try:
        candidates = Distribution.objects.filter(resource_id=resource_id)
        return (
            candidates.filter(
                version__dataset__municipality__in=municipalities,
                version__dataset__current_id=F("version_id"),
            )
            .select_related("version__dataset__municipality")
            .first()
        )
    except Exception:  # a malformed UUID: no such resource
        return None


def _convert(value: str, kind: str) -> Any:
    if value == "":
        return None
    if kind == "int":
        return int(value)
    if kind == "numeric":
        return float(value)
    return value


def tabular_rows(distribution: Distribution) -> Iterator[dict[str, Any]]:
    """The rows of a dataset version, typed by the declared columns (read from its CSV file)."""
    spec = builder_for(distribution.version.dataset.key).spec
    csv_file = distribution.version.distributions.get(format="CSV")
    types = {c.name: c.type for c in spec.columns}
    with media_path(csv_file.path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for values in reader:
            yield {
                name: _convert(value, types.get(name, "text"))
                for name, value in zip(header, values, strict=False)
            }
