"""Staged asset imports: a file is checked first (dry run), then applied or discarded.

Between the two steps the upload is kept in its municipality's staging
directory (``MEDIA_ROOT/schools/imports/<municipality id>/``) under a random
token; the page remembers only the token. A file staged for one municipality is
looked for only in that municipality's directory, so it can never be applied to
another. Files that nobody applied or discarded are deleted by
``import_abandoned_purge`` (task ``schools.import_cleanup``, scheduled whenever a
file is staged) once they are older than ``SCHOOLS_IMPORT_MAX_AGE_HOURS``.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dimos.core.constants import TaskStatus
from dimos.core.exceptions import ApplicationError, NotFound, ValidationFailed
from dimos.core.models import Municipality
from dimos.schools.importer import ImportReport, Mode, import_assets

MAX_IMPORT_BYTES = 50 * 1024 * 1024
CLEANUP_TASK = "schools.import_cleanup"
_TOKEN = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")


class Upload(Protocol):
    """What ``import_stage`` needs of an uploaded file (Django's ``UploadedFile`` has it)."""

    name: str | None
    size: int | None

    def chunks(self) -> Iterable[bytes]: ...


@dataclass(frozen=True)
class StagedImport:
    """A checked file waiting to be applied: its token, its original name and the dry-run report."""

    token: str
    name: str
    report: ImportReport


def import_max_age() -> timedelta:
    return timedelta(hours=settings.SCHOOLS_IMPORT_MAX_AGE_HOURS)


def _staging_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "schools" / "imports"


def _staged_path(municipality: Municipality, token: str) -> Path | None:
    """The path of a staged file of this municipality, or ``None`` for a malformed token."""
    if not _TOKEN.match(token or ""):
        return None
    return _staging_root() / str(municipality.pk) / token


def import_stage(
    *, municipality: Municipality, upload: Upload, actor: Any, replaces: str = ""
) -> StagedImport:
    """Keep an uploaded asset file and check it (dry run: nothing is registered).

    ``replaces`` is the token of an earlier staged file of the same person, which
    is discarded once the new one passes the check.
    """
    name = (upload.name or "")[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationFailed(_("Ανεβάστε αρχείο CSV ή XLSX."), field="file")
    if (upload.size or 0) > MAX_IMPORT_BYTES:
        raise ValidationFailed(_("Το αρχείο είναι πολύ μεγάλο (όριο 50 MB)."), field="file")
    token = f"{uuid.uuid4().hex}{suffix}"
    path = _staging_root() / str(municipality.pk) / token
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        with path.open("rb") as fh:
            report = import_assets(
                municipality=municipality, upload=fh, name=name, mode=Mode.DRY_RUN, actor=actor
            )
    except ApplicationError:
        path.unlink(missing_ok=True)
        raise
    if replaces:
        import_discard(municipality=municipality, token=replaces)
    _cleanup_schedule(delay=import_max_age() + timedelta(minutes=5))
    return StagedImport(token=token, name=name, report=report)


def import_apply(*, municipality: Municipality, token: str, name: str, mode: str, actor: Any) -> ImportReport:
    """Register the rows of a staged file (``valid_only`` or ``all_or_nothing``) and delete the file."""
    if mode not in (Mode.VALID_ONLY, Mode.ALL_OR_NOTHING):
        raise ValidationFailed(_("Επιλέξτε πώς θα γίνει η εισαγωγή."), field="mode")
    path = _staged_path(municipality, token)
    try:
        if path is None:
            raise FileNotFoundError(token)
        with path.open("rb") as fh:
            report = import_assets(municipality=municipality, upload=fh, name=name, mode=mode, actor=actor)
    except FileNotFoundError as exc:
        raise NotFound(_("Το αρχείο δεν βρέθηκε· ανεβάστε το ξανά."), field="file") from exc
    # Deleted only once the registration is committed: a rollback leaves it to try again.
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return report


def import_discard(*, municipality: Municipality, token: str) -> bool:
    """Delete a staged file of this municipality; ``False`` when there was none."""
    path = _staged_path(municipality, token)
    if path is None or not path.exists():
        return False
    path.unlink(missing_ok=True)
    return True


def _staged_files() -> list[Path]:
    """Every staged file; also those left directly in the root by releases before the per-municipality directories."""
    root = _staging_root()
    return [*root.glob("*/*"), *(p for p in root.glob("*") if p.is_file())]


def import_abandoned_purge(*, max_age: timedelta | None = None) -> int:
    """Delete staged files older than ``max_age`` (default: the setting); returns how many."""
    cutoff = time.time() - (max_age or import_max_age()).total_seconds()
    deleted = 0
    for path in _staged_files():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                deleted += 1
        except FileNotFoundError:  # applied or discarded meanwhile
            continue
    return deleted


def import_staged_oldest_age() -> timedelta | None:
    """The age of the oldest staged file still waiting, or ``None`` when there is none."""
    times = []
    for path in _staged_files():
        try:
            times.append(path.stat().st_mtime)
        except FileNotFoundError:
            continue
    return timedelta(seconds=max(0.0, time.time() - min(times))) if times else None


def _cleanup_schedule(*, delay: timedelta) -> None:
    """Make sure a cleanup run is pending (one is enough: it reschedules itself while files wait)."""
    from dimos.core.models import Task
    from dimos.core.tasks import task_enqueue

    if not Task.objects.filter(name=CLEANUP_TASK, status=TaskStatus.PENDING).exists():
        task_enqueue(CLEANUP_TASK, {}, delay=delay)


def import_cleanup_run() -> int:
    """Purge abandoned files, then schedule the next run for when the oldest remaining one expires."""
    deleted = import_abandoned_purge()
    oldest = import_staged_oldest_age()
    if oldest is not None:
        _cleanup_schedule(delay=max(import_max_age() - oldest, timedelta(0)) + timedelta(minutes=5))
    return deleted
