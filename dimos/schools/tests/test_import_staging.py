"""The staged import service: stage (dry run), apply or discard, and the cleanup of abandoned files."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dimos.core.exceptions import NotFound, ValidationFailed
from dimos.core.models import Task
from dimos.core.tasks import task_run
from dimos.core.testing import SERRES_HOST, client_for
from dimos.schools import services
from dimos.schools.models import Asset
from dimos.schools.tests.factories import world

BODY = "model,serial,school\ntab-10,ST-1,1ο Δημοτικό Σχολείο Σερρών\n".encode()


@pytest.fixture
def w(serres):
    return world(serres, full=False)


@pytest.fixture
def bob_client(bob):
    return client_for(bob, SERRES_HOST)


def staged_files(settings) -> list[Path]:
    return sorted(p for p in (Path(settings.MEDIA_ROOT) / "schools" / "imports").glob("*/*"))


def stage(municipality, body: bytes = BODY, name: str = "a.csv") -> services.StagedImport:
    return services.import_stage(municipality=municipality, upload=SimpleUploadedFile(name, body), actor=None)


def make_old(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_stage_keeps_the_file_checks_it_and_registers_nothing(w, settings) -> None:
    staged = stage(w.municipality)
    assert staged.report.valid == 1 and staged.report.applied == 0
    assert not Asset.objects.filter(serial="ST-1").exists()
    (path,) = staged_files(settings)
    assert path.name == staged.token and path.parent.name == str(w.municipality.pk)


def test_apply_registers_the_rows_and_deletes_the_file(
    w, settings, django_capture_on_commit_callbacks
) -> None:
    staged = stage(w.municipality)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.import_apply(
            municipality=w.municipality, token=staged.token, name=staged.name, mode="valid_only", actor=None
        )
    assert report.applied == 1 and Asset.objects.filter(serial="ST-1").exists()
    assert staged_files(settings) == []


def test_a_file_of_another_municipality_is_not_applied(w, irakleia, settings) -> None:
    staged = stage(w.municipality)
    with pytest.raises(NotFound):
        services.import_apply(
            municipality=irakleia, token=staged.token, name=staged.name, mode="valid_only", actor=None
        )
    assert not Asset.objects.filter(serial="ST-1").exists()
    assert services.import_discard(municipality=irakleia, token=staged.token) is False
    assert len(staged_files(settings)) == 1  # still there for its own municipality


def test_a_token_cannot_name_a_path_outside_the_staging_directory(w) -> None:
    with pytest.raises(NotFound):
        services.import_apply(
            municipality=w.municipality,
            token="../../settings.py",
            name="a.csv",
            mode="valid_only",
            actor=None,
        )


def test_bad_files_are_refused_and_not_kept(w, settings) -> None:
    with pytest.raises(ValidationFailed) as exc:
        stage(w.municipality, b"MZ", "a.exe")
    assert exc.value.field == "file"
    with pytest.raises(ValidationFailed):
        stage(w.municipality, b"model,serial\n", "empty.csv")  # no data rows
    assert staged_files(settings) == []


def test_a_new_upload_replaces_the_earlier_one(w, settings) -> None:
    first = stage(w.municipality)
    second = services.import_stage(
        municipality=w.municipality,
        upload=SimpleUploadedFile("b.csv", BODY),
        actor=None,
        replaces=first.token,
    )
    assert [p.name for p in staged_files(settings)] == [second.token]


def test_discard_deletes_the_staged_file(w, settings) -> None:
    staged = stage(w.municipality)
    assert services.import_discard(municipality=w.municipality, token=staged.token) is True
    assert staged_files(settings) == []


def test_cleanup_removes_an_abandoned_file_and_keeps_a_fresh_one(w, settings) -> None:
    settings.SCHOOLS_IMPORT_MAX_AGE_HOURS = 24
    abandoned, fresh = stage(w.municipality), stage(w.municipality)
    (abandoned_path,) = [p for p in staged_files(settings) if p.name == abandoned.token]
    make_old(abandoned_path, hours=25)
    make_old(next(p for p in staged_files(settings) if p.name == fresh.token), hours=23)
    assert services.import_abandoned_purge() == 1
    assert [p.name for p in staged_files(settings)] == [fresh.token]


def test_staging_schedules_the_cleanup_task_which_reschedules_itself_while_files_wait(w, settings) -> None:
    settings.SCHOOLS_IMPORT_MAX_AGE_HOURS = 24
    stage(w.municipality)
    stage(w.municipality)
    pending = Task.objects.filter(name="schools.import_cleanup", status="pending")
    assert pending.count() == 1  # one run is enough
    old, young = staged_files(settings)
    make_old(old, hours=30)
    make_old(young, hours=20)
    task = pending.get()
    Task.objects.filter(pk=task.pk).update(status="running")
    assert task_run(task)
    assert staged_files(settings) == [young]
    nxt = Task.objects.get(name="schools.import_cleanup", status="pending")
    # due when the remaining file turns 24 hours old (4 hours from now), plus a margin
    assert timedelta(hours=3) < nxt.run_after - task.created_at < timedelta(hours=5)


def test_import_page_discard_button(w, bob_client, settings) -> None:
    url = reverse("schools:asset_import")
    bob_client.post(url, {"file": SimpleUploadedFile("a.csv", BODY)})
    assert len(staged_files(settings)) == 1
    response = bob_client.post(url, {"discard": "1", "mode": "valid_only"})
    assert response.status_code == 302
    assert staged_files(settings) == [] and not Asset.objects.filter(serial="ST-1").exists()
    assert bob_client.post(url, {"mode": "valid_only"}).status_code == 302  # nothing pending any more
    assert not Asset.objects.filter(serial="ST-1").exists()


def test_cleanup_also_removes_old_files_of_the_earlier_flat_layout(w, settings) -> None:
    root = Path(settings.MEDIA_ROOT) / "schools" / "imports"
    root.mkdir(parents=True)
    legacy = root / ("a" * 32 + ".csv")
    legacy.write_bytes(BODY)
    make_old(legacy, hours=48)
    assert services.import_abandoned_purge() == 1 and not legacy.exists()
