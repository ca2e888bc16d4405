"""Building datasets: run a builder, write its files, keep the version (every write of the app).

A build that fails records its error on the dataset and leaves ``current`` on
the last good version, which keeps being served with its build time.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dimos.core.greek import normalize_greek
from dimos.core.models import Municipality
from dimos.opendata.models import Dataset, DatasetVersion, Distribution
from dimos.opendata.registry import DatasetSpec, builder_for, registered_builders
from dimos.opendata.writers import WRITERS, GeoJsonWriter, row_json

log = logging.getLogger("dimos.opendata")
OPENDATA_DIR = "opendata"


def media_path(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative


def resource_id_for(dataset: Dataset, fmt: str) -> uuid.UUID:
    """The CKAN resource id of a format of a dataset: the same in every version."""
    return uuid.uuid5(dataset.uid, fmt)


def _search_text(spec: DatasetSpec, municipality: Municipality) -> str:
    parts = [
        spec.key,
        spec.title_el,
        spec.title_en,
        spec.description_el,
        spec.description_en,
        *spec.keywords,
        *spec.keywords_el,
        municipality.name_el,
        municipality.name_en,
        municipality.slug,
    ]
    return normalize_greek(" ".join(parts))


def dataset_sync(*, municipality: Municipality, spec: DatasetSpec) -> Dataset:
    """The dataset row of ``spec`` for ``municipality``, its search fields refreshed from the spec."""
    fields = {
        "search_text": _search_text(spec, municipality),
        "themes": " " + " ".join(spec.themes) + " ",
        "tags": " " + " ".join(spec.keywords) + " ",
        "formats": " " + " ".join(spec.formats) + " ",
    }
    dataset, created = Dataset.objects.get_or_create(
        municipality=municipality,
        key=spec.key,
        defaults={"name": f"{municipality.slug}-{spec.key}", **fields},
    )
    if not created and any(getattr(dataset, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(dataset, k, v)
        dataset.save(update_fields=list(fields))
    return dataset


def _temporal_column(spec: DatasetSpec) -> str | None:
    for column in spec.columns:
        if column.type in ("timestamp", "date") or column.name == "month":
            return column.name
    return None


def _as_date(value: Any) -> dt.date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10]) if len(value) >= 10 else dt.date.fromisoformat(value + "-01")
    except ValueError:
        return None


def dataset_build(
    *, municipality: Municipality, key: str, incremental: bool = False
) -> DatasetVersion | None:
    """Build one dataset; the new version, or None when the builder failed (the last one stays)."""
    registered = builder_for(key)
    spec = registered.spec
    dataset = dataset_sync(municipality=municipality, spec=spec)
    previous = dataset.current
    resume = bool(
        incremental and spec.incremental and previous is not None and previous.watermark and previous.tails
    )
    folder = f"{OPENDATA_DIR}/{municipality.slug}/{spec.key}/{uuid.uuid4().hex}"
    media_path(folder).mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    try:
        # A savepoint: a builder's database error must not poison the caller's transaction.
        with transaction.atomic():
            result = registered.build(municipality=municipality, since=previous.watermark if resume else None)
            writers = {}
            for fmt in spec.formats:
                suffix = {"CSV": "csv", "JSON": "json", "GeoJSON": "geojson"}[fmt]
                old = None
                if resume:
                    old_file = previous.distributions.get(format=fmt)
                    tail, count = previous.tails[fmt]
                    old = (media_path(old_file.path), tail, count > 0)
                writer = WRITERS[fmt](media_path(f"{folder}/{spec.key}.{suffix}"), spec.column_names, old)
                if isinstance(writer, GeoJsonWriter):
                    writer.geometry = registered.geometry  # type: ignore[assignment]
                writers[fmt] = (writer, f"{folder}/{spec.key}.{suffix}")
            counts = {fmt: (previous.tails[fmt][1] if resume else 0) for fmt in writers}
            temporal_column = _temporal_column(spec)
            first = previous.temporal_start if resume else None
            last = previous.temporal_end if resume else None
            added = 0
            columns = spec.column_names
            for row in result.rows:
                added += 1
                as_json = row_json(row, columns)
                for fmt, (writer, _path) in writers.items():
                    before = writer.first, writer.out.size
                    writer.add(row, as_json)
                    if (writer.first, writer.out.size) != before:
                        counts[fmt] += 1
                if temporal_column:
                    day = _as_date(row.get(temporal_column))
                    if day:
                        first = day if first is None or day < first else first
                        last = day if last is None or day > last else last
            finished = {fmt: (writer.finish(), path) for fmt, (writer, path) in writers.items()}
    except Exception as exc:  # a failing builder must not take the published version down
        shutil.rmtree(media_path(folder), ignore_errors=True)
        Dataset.objects.filter(pk=dataset.pk).update(
            last_attempt_at=started, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        log.warning("open data build %s/%s failed: %s", municipality.slug, key, type(exc).__name__)
        return None
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = DatasetVersion.objects.create(
            municipality=municipality,
            dataset=locked,
            number=number,
            built_at=started,
            row_count=(previous.row_count if resume else 0) + added,
            incremental=resume,
            watermark=result.watermark,
            temporal_start=first,
            temporal_end=last,
            tails={fmt: [tail, counts[fmt]] for fmt, ((tail, _s, _h), _p) in finished.items()},
        )
        Distribution.objects.bulk_create(
            Distribution(
                municipality=municipality,
                version=version,
                resource_id=resource_id_for(locked, fmt),
                format=fmt,
                path=path,
                byte_size=size,
                sha256=sha,
            )
            for fmt, ((_t, size, sha), path) in finished.items()
        )
        Dataset.objects.filter(pk=locked.pk).update(current=version, last_attempt_at=started, last_error="")
    return version


def datasets_build_all(*, municipality: Municipality, incremental: bool = False) -> dict[str, bool]:
    """Build every registered dataset of ``municipality``; which succeeded."""
    return {
        key: dataset_build(municipality=municipality, key=key, incremental=incremental) is not None
        for key in registered_builders()
    }
