"""Routing, duplicates, the transition table, merge, support, feedback, photos."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from dimos.core.exceptions import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from dimos.core.models import Notification
from dimos.core.tasks import tasks_run_pending
from dimos.reports.constants import OPEN311_EXTENDED, OPEN_STATUSES, TRANSITIONS, ReportStatus, open311_status
from dimos.reports.models import Report, ReportFollower, ReportPhoto, ReportUpdate, RoutingRule
from dimos.reports.selectors import duplicates_nearby, route_for
from dimos.reports.services import (
    Reporter,
    report_assign,
    report_comment,
    report_confirm_email,
    report_feedback,
    report_merge,
    report_set_priority,
    report_submit,
    report_support,
    report_transition,
)
from dimos.reports.tests.conftest import CITY, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


def _submit(serres, categories, code="street-light", lat=CITY[0], lon=CITY[1], user=None, **kw):
    reporter = kw.pop("reporter", None) or Reporter(
        user=user, name="Μαρία Π.", email="" if user else "m@example.org"
    )
    return report_submit(
        municipality=serres,
        category=categories[code],
        lat=lat,
        lon=lon,
        description=kw.pop("description", "Σβηστή λάμπα."),
        reporter=reporter,
        **kw,
    )


# --- transition table --------------------------------------------------------------------


def test_table_is_complete_and_consistent():
    assert set(TRANSITIONS) == set(ReportStatus.values)
    assert set(OPEN311_EXTENDED) == set(ReportStatus.values)
    for source, targets in TRANSITIONS.items():
        assert source not in targets
        assert targets <= set(ReportStatus.values)
    assert open311_status("fixed") == "closed" and open311_status("reopened") == "open"
    assert ReportStatus.REOPENED in OPEN_STATUSES


@pytest.mark.parametrize("source", ReportStatus.values)
@pytest.mark.parametrize("target", ReportStatus.values)
def test_every_transition_follows_the_table(serres, categories, alice, source, target):
    report = _submit(serres, categories, user=alice)
    Report.objects.filter(pk=report.pk).update(status=source, is_open=source in OPEN_STATUSES)
    report.refresh_from_db()
    if target in TRANSITIONS[source]:
        if target == ReportStatus.FORWARDED and not report.category.external_body_id:
            with pytest.raises(ValidationFailed):
                report_transition(report=report, to_status=target, actor=alice)
            return
        report = report_transition(report=report, to_status=target, actor=alice, comment="ok")
        assert report.status == target
        assert report.is_open == (target in OPEN_STATUSES)
        last = report.updates.order_by("-pk").first()
        assert (last.from_status, last.to_status, last.actor) == (source, target, alice)
    else:
        count = ReportUpdate.objects.count()
        with pytest.raises(TransitionNotAllowed):
            report_transition(report=report, to_status=target, actor=alice)
        assert ReportUpdate.objects.count() == count
        report.refresh_from_db()
        assert report.status == source


def test_unknown_status(serres, categories, alice):
    report = _submit(serres, categories, user=alice)
    with pytest.raises(ValidationFailed):
        report_transition(report=report, to_status="bogus", actor=alice)


def test_forward_from_not_responsible_to_external_body(serres, categories, alice, mailoutbox):
    report = _submit(serres, categories, code="water-leak", user=alice)
    assert report.status == ReportStatus.FORWARDED and report.department is None
    tasks_run_pending()
    assert any("ΔΕΥΑ" in m.body or "Διαβίβαση" in m.subject for m in mailoutbox)
    body = next(m for m in mailoutbox if m.to == [report.external_body.email])
    assert "m@example.org" not in body.body and alice.email not in body.body


# --- routing -------------------------------------------------------------------------------


def test_routing_rule_for_unit_and_any_unit(serres, categories, departments, mountain_unit):
    light = categories["street-light"]
    assert route_for(serres, light, None).code == "ilektrofotismos"
    RoutingRule.objects.create(
        municipality=serres, category=light, unit=None, department=departments["technikes"]
    )
    assert route_for(serres, light, None).code == "technikes"
    RoutingRule.objects.create(
        municipality=serres, category=light, unit=mountain_unit, department=departments["prasino"]
    )
    assert route_for(serres, light, mountain_unit).code == "prasino"


# --- submission & privacy ----------------------------------------------------------------


def test_signed_in_report_is_public_with_receipt(serres, categories, citizen):
    report = _submit(
        serres, categories, user=citizen, reporter=Reporter(user=citizen, name="Μαρία", show_name=True)
    )
    assert report.is_public and report.public_name == "Μαρία"
    assert Notification.objects.filter(key="reports.received", recipient="maria@example.org").exists()
    assert ReportFollower.objects.filter(report=report, user=citizen, is_reporter=True).exists()


def test_anonymous_needs_confirmation(serres, categories):
    report = _submit(serres, categories)
    assert not report.is_public
    note = Notification.objects.get(key="reports.confirm")
    assert report.confirmation_token in note.body
    report = report_confirm_email(municipality=serres, token=report.confirmation_token)
    assert report.is_public and report.confirmation_token == ""
    assert Notification.objects.filter(key="reports.received").exists()
    with pytest.raises(NotFound):
        report_confirm_email(municipality=serres, token="used")


def test_anonymous_refused_where_category_forbids(serres, categories):
    with pytest.raises(PermissionDenied):
        _submit(serres, categories, code="illegal-parking")
    assert not Report.objects.exists()


def test_anonymous_needs_email(serres, categories):
    with pytest.raises(ValidationFailed):
        _submit(serres, categories, reporter=Reporter())


def test_deadline_working_and_calendar_days(serres, categories, citizen):
    import datetime as dt

    from django.utils import timezone

    from dimos.core.workdays import add_calendar_days, add_working_days

    today = timezone.localdate()
    light = _submit(serres, categories, user=citizen)
    assert light.deadline == add_working_days(today, 5, ["06-29"])
    bin_ = _submit(serres, categories, code="waste-bin", user=citizen)
    assert bin_.deadline == add_calendar_days(today, 2, ["06-29"])
    Report.objects.filter(pk=light.pk).update(deadline=today - dt.timedelta(days=1))
    light.refresh_from_db()
    assert light.is_overdue


# --- duplicates -----------------------------------------------------------------------------


def test_duplicates_nearby(serres, categories, citizen):
    report = _submit(serres, categories, user=citizen)
    light = categories["street-light"]
    assert [r.pk for r, _ in duplicates_nearby(serres, light, CITY[0] + 0.0002, CITY[1])] == [
        report.pk
    ]  # ≈ 22 m
    assert duplicates_nearby(serres, light, CITY[0] + 0.0009, CITY[1]) == []  # ≈ 100 m
    assert duplicates_nearby(serres, categories["waste-bin"], CITY[0], CITY[1]) == []
    light.duplicate_radius_m = 150
    light.save()
    assert len(duplicates_nearby(serres, light, CITY[0] + 0.0009, CITY[1])) == 1
    report_transition(report=report, to_status=ReportStatus.FIXED, actor=None)
    assert duplicates_nearby(serres, light, CITY[0], CITY[1]) == []


def test_support_counts_and_subscribes(serres, categories, citizen, alice):
    report = _submit(serres, categories, user=alice)
    report_support(report=report, user=citizen)
    report_support(report=report, user=citizen)  # twice counts once
    report_support(report=report, email="neighbour@example.org")
    report.refresh_from_db()
    assert report.supporters_count == 2
    with pytest.raises(ValidationFailed):
        report_support(report=report)
    report_transition(report=report, to_status=ReportStatus.FIXED, actor=alice, comment="Άλλαξε η λάμπα.")
    recipients = set(Notification.objects.filter(key="reports.updated").values_list("recipient", flat=True))
    assert recipients == {"maria@example.org", "neighbour@example.org"}  # alice acted herself
    with pytest.raises(Conflict):
        report_support(report=report, user=citizen)


# --- merge ---------------------------------------------------------------------------------


def test_merge_moves_supporters_and_subscribers(serres, categories, citizen, alice):
    keep = _submit(serres, categories, user=alice)
    dup = _submit(serres, categories, user=citizen)
    report_support(report=dup, email="third@example.org")
    report_support(report=keep, email="third@example.org")  # already on both: not doubled
    report_merge(duplicate=dup, into=keep, actor=alice)
    dup.refresh_from_db()
    keep.refresh_from_db()
    assert dup.status == ReportStatus.DUPLICATE and dup.duplicate_of == keep and not dup.is_open
    assert dup.followers.count() == 0
    emails = set(keep.followers.values_list("email", flat=True))
    users = set(keep.followers.exclude(user=None).values_list("user_id", flat=True))
    assert "third@example.org" in emails and citizen.pk in users
    assert keep.followers.filter(email="third@example.org").count() == 1
    assert keep.supporters_count == 2
    assert keep.updates.filter(kind="merge").exists()


def test_merge_bad_input(serres, categories, alice, irakleia):
    a = _submit(serres, categories, user=alice)
    b = _submit(serres, categories, user=alice)
    with pytest.raises(ValidationFailed):
        report_merge(duplicate=a, into=a, actor=alice)
    report_transition(report=b, to_status=ReportStatus.CLOSED, actor=alice)
    with pytest.raises(Conflict):
        report_merge(duplicate=a, into=b, actor=alice)
    a.refresh_from_db()
    assert a.status == ReportStatus.SUBMITTED


# --- staff actions ---------------------------------------------------------------------------


def test_assign_priority_comment(serres, categories, alice, bob, departments, citizen):
    report = _submit(serres, categories, user=citizen)
    alice.department = departments["technikes"]
    alice.save(update_fields=["department"])
    report_assign(report=report, actor=bob, department=departments["technikes"], assignee=alice)
    report_set_priority(report=report, actor=alice, priority=4)
    with pytest.raises(ValidationFailed):
        report_set_priority(report=report, actor=alice, priority=9)
    report_comment(report=report, actor=alice, text="Εσωτερικό σημείωμα", public=False)
    report_comment(report=report, actor=alice, text="Θα περάσει συνεργείο.", public=True)
    report.refresh_from_db()
    assert report.department.code == "technikes" and report.assigned_to == alice and report.priority == 4
    bodies = list(Notification.objects.filter(key="reports.updated").values_list("body", flat=True))
    assert len(bodies) == 1 and "Θα περάσει συνεργείο." in bodies[0]
    with pytest.raises(ValidationFailed):
        report_comment(report=report, actor=alice, text="<a href=x>", public=True)


def test_assign_other_tenant_refused(serres, categories, alice, irakleia, citizen):
    from dimos.core.exceptions import NotFound
    from dimos.core.models import Department

    other = Department.objects.create(municipality=irakleia, code="x", name_el="Ξ", name_en="X")
    report = _submit(serres, categories, user=citizen)
    with pytest.raises(NotFound):
        report_assign(report=report, actor=alice, department=other)


# --- was it fixed? -------------------------------------------------------------------------


def test_feedback_reopens_or_closes(serres, categories, alice, citizen):
    report = _submit(serres, categories, user=citizen)
    with pytest.raises(Conflict):
        report_feedback(report=report, fixed=False)
    report_transition(report=report, to_status=ReportStatus.FIXED, actor=alice)
    note = Notification.objects.filter(key="reports.updated", recipient="maria@example.org").latest("pk")
    assert "Διορθώθηκε πράγματι" in note.body
    report = report_feedback(report=report, fixed=False, comment="Ακόμα σβηστή.")
    assert report.status == ReportStatus.REOPENED and report.is_open
    report_transition(report=report, to_status=ReportStatus.FIXED, actor=alice)
    report = report_feedback(report=report, fixed=True)
    assert report.status == ReportStatus.CLOSED


# --- photos ----------------------------------------------------------------------------------


def test_photo_sanitised_gps_removed(serres, categories, citizen):
    raw = jpeg_with_gps((3000, 1500))
    assert b"GPS" in raw or Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)
    report = _submit(serres, categories, user=citizen, photos=[upload(raw)])
    photo = ReportPhoto.objects.get(report=report)
    assert photo.is_public is False
    data = photo.image.read()
    img = Image.open(io.BytesIO(data))
    assert max(img.size) == 2048
    assert not img.getexif().get_ifd(0x8825)
    assert 0x010F not in img.getexif()
    assert max(Image.open(photo.thumbnail).size) <= 320


@pytest.mark.parametrize(
    "payload",
    [b"%PDF-1.4 hello", b"GIF89a" + b"\x00" * 20, b"not an image at all"],
)
def test_photo_not_an_image(serres, categories, citizen, payload):
    with pytest.raises(ValidationFailed):
        _submit(serres, categories, user=citizen, photos=[upload(payload, "x.jpg")])
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def test_photo_too_large_and_too_many(serres, categories, citizen):
    from dimos.reports.constants import MAX_PHOTO_BYTES

    big = upload(b"\xff\xd8\xff" + b"\x00" * (MAX_PHOTO_BYTES + 10))
    with pytest.raises(ValidationFailed):
        _submit(serres, categories, user=citizen, photos=[big])
    with pytest.raises(ValidationFailed):
        _submit(serres, categories, user=citizen, photos=[upload(jpeg_with_gps()) for _ in range(4)])
    assert not Report.objects.exists()


def test_photo_decompression_bomb(serres, categories, citizen):
    img = Image.new("1", (10000, 10000))
    out = io.BytesIO()
    img.save(out, format="PNG")
    with pytest.raises(ValidationFailed):
        _submit(serres, categories, user=citizen, photos=[upload(out.getvalue(), "bomb.png", "image/png")])
    assert not Report.objects.exists()
