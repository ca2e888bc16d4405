"""CKAN dictionaries (package, resource, organization, group) from our datasets (open-data.md)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from dimos.core.models import Municipality
from dimos.opendata.constants import FORMATS, LICENCE_ID, LICENCE_TITLE, LICENCE_URL, THEMES
from dimos.opendata.models import Dataset, Distribution
from dimos.opendata.registry import DatasetSpec

ORG_NAMESPACE = uuid.UUID("6f1c1b7e-5d0e-4a51-9d3e-0b7a3c1f2e10")


def organization_id(municipality: Municipality) -> str:
    return str(uuid.uuid5(ORG_NAMESPACE, municipality.slug))


def organization_dict(municipality: Municipality, *, package_count: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": organization_id(municipality),
        "name": municipality.slug,
        "title": municipality.name_el,
        "display_name": municipality.name_el,
        "description": municipality.name_en,
        "image_url": "",
        "type": "organization",
        "state": "active",
        "is_organization": True,
        "approval_status": "approved",
    }
    if package_count is not None:
        out["package_count"] = package_count
    return out


def group_dict(code: str, *, package_count: int | None = None) -> dict[str, Any]:
    el, en = THEMES[code]
    out: dict[str, Any] = {
        "id": code.lower(),
        "name": code.lower(),
        "title": el,
        "display_name": el,
        "description": en,
        "image_url": "",
        "type": "group",
        "state": "active",
        "is_organization": False,
    }
    if package_count is not None:
        out["package_count"] = package_count
    return out


def resource_dict(base: str, dataset: Dataset, dist: Distribution, position: int) -> dict[str, Any]:
    mimetype = FORMATS[dist.format][0]
    built = dist.version.built_at.isoformat() if dist.version_id == dataset.current_id else ""
    return {
        "id": str(dist.resource_id),
        "name": f"{dataset.name}.{FORMATS[dist.format][2]}",
        "description": f"{dist.format}, έκδοση {dataset.current.number}",
        "format": dist.format,
        "url": base + reverse("opendata:download", args=[dataset.name, dist.format.lower()]),
        "mimetype": mimetype,
        "size": dist.byte_size,
        "hash": f"sha256:{dist.sha256}",
        "created": built,
        "last_modified": built,
        "package_id": str(dataset.uid),
        "position": position,
        "state": "active",
        "url_type": None,
        "datastore_active": dist.format in ("CSV", "JSON"),
    }


def package_dict(
    base: str, dataset: Dataset, spec: DatasetSpec, dists: Sequence[Distribution]
) -> dict[str, Any]:
    municipality = dataset.municipality
    org = organization_dict(municipality)
    version = dataset.current
    extras = {
        "title_en": spec.title_en,
        "notes_en": spec.description_en,
        "frequency": spec.frequency,
        "themes": " ".join(spec.themes),
        "version": str(version.number),
        "built_at": version.built_at.isoformat(),
        "temporal_start": version.temporal_start.isoformat() if version.temporal_start else "",
        "temporal_end": version.temporal_end.isoformat() if version.temporal_end else "",
        "hvd_category": f"http://data.europa.eu/bna/{spec.hvd_category}" if spec.hvd_category else "",
        "last_build_failed_at": dataset.last_attempt_at.isoformat() if dataset.last_error else "",
    }
    for dist in dists:
        dist.version = version  # the version is known: spare a query per resource
    resources = [resource_dict(base, dataset, dist, i) for i, dist in enumerate(dists)]
    tags = [{"name": t, "display_name": t, "state": "active"} for t in spec.keywords]
    return {
        "id": str(dataset.uid),
        "name": dataset.name,
        "title": spec.title_el,
        "notes": spec.description_el,
        "license_id": LICENCE_ID,
        "license_title": LICENCE_TITLE,
        "license_url": LICENCE_URL,
        "isopen": True,
        "organization": org,
        "owner_org": org["id"],
        "tags": tags,
        "groups": [group_dict(code) for code in spec.themes],
        "resources": resources,
        "metadata_created": dataset.created_at.isoformat(),
        "metadata_modified": version.built_at.isoformat(),
        "maintainer": municipality.name_el,
        "maintainer_email": municipality.email,
        "author": municipality.name_el,
        "author_email": municipality.email,
        "url": base + reverse("opendata:dataset", args=[dataset.name]),
        "version": str(version.number),
        "state": "active",
        "type": "dataset",
        "private": False,
        "num_resources": len(resources),
        "num_tags": len(tags),
        "extras": [{"key": k, "value": v} for k, v in extras.items() if v],
    }
