"""A published dataset of one municipality, its built versions and their distribution files.

What a dataset *is* (title, themes, columns) is declared in code by its builder
(``dimos/opendata/registry.py``); the database holds what was *built*: each
version with its files, size and checksum, so that a failing build keeps the last
good version on line and a harvester can see when it was built.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from dimos.core.models import TenantModel


class Dataset(TenantModel):
    """One builder's output for one municipality; ``name`` is its CKAN name (unique platform-wide)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(max_length=60)
    name = models.SlugField(max_length=120, unique=True)
    current = models.ForeignKey(
        "DatasetVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Filled at each build from the builder's declaration, so that search and facets are SQL filters.
    search_text = models.TextField(blank=True)
    themes = models.CharField(max_length=100, blank=True)  # " ENVI TRAN " (space-delimited codes)
    tags = models.CharField(max_length=400, blank=True)  # " air-quality hourly "
    formats = models.CharField(max_length=40, blank=True)  # " CSV JSON GeoJSON "
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="opendata_dataset_key_unique")
        ]
        indexes = [models.Index(fields=["municipality", "name"], name="opendata_dataset_org_idx")]

    def __str__(self) -> str:
        return self.name


class DatasetVersion(TenantModel):
    """One successful build. Versions are kept; the dataset points at the newest good one."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    built_at = models.DateTimeField(default=timezone.now)
    row_count = models.PositiveIntegerField(default=0)
    incremental = models.BooleanField(default=False)
    # Where an incremental build may resume: e.g. the end of the last whole hour included.
    watermark = models.DateTimeField(null=True, blank=True)
    temporal_start = models.DateField(null=True, blank=True)
    temporal_end = models.DateField(null=True, blank=True)
    # Byte offsets where each file's closing characters start, so an incremental build can append.
    tails = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="opendata_version_number_unique")
        ]
        indexes = [models.Index(fields=["municipality", "dataset", "number"], name="opendata_version_idx")]

    def __str__(self) -> str:
        return f"{self.dataset.name} v{self.number}"


class Distribution(TenantModel):
    """One file of a version (CSV, JSON or GeoJSON); ``resource_id`` is stable across versions."""

    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="distributions")
    resource_id = models.UUIDField(db_index=True)
    format = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    byte_size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "format"], name="opendata_distribution_unique")
        ]
        indexes = [models.Index(fields=["municipality", "version"], name="opendata_distribution_idx")]

    def __str__(self) -> str:
        return f"{self.version} {self.format}"
