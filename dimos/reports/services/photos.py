"""Photos of a report: checked and re-encoded before storage, private until staff publish them."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import ValidationFailed
from dimos.core.files import (
    ANONYMOUS_MAX_IMAGE_PIXELS,
    IMAGE_TYPES,
    MAX_IMAGE_PIXELS,
    sanitize_image,
    sniff_content_type,
)
from dimos.core.services import audit_record
from dimos.core.versions import data_changed
from dimos.reports.constants import DATA_TOPIC, MAX_PHOTO_BYTES, MAX_PHOTOS
from dimos.reports.models import Report, ReportPhoto


def clean_photo(upload: Any, *, anonymous: bool = False) -> Any:
    """Check and re-encode one photo (no metadata survives).

    An ``anonymous`` upload (nobody signed in, or an Open311 client for a citizen)
    gets the lower pixel cap, checked from the header before anything is decoded:
    a 35 KB PNG can declare 36 megapixels.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationFailed(
            _("Η φωτογραφία είναι πολύ μεγάλη (όριο %(mb)s MB).") % {"mb": MAX_PHOTO_BYTES // 1_048_576},
            field="photos",
        )
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationFailed(
            _("Η φωτογραφία είναι πολύ μεγάλη (όριο %(mb)s MB).") % {"mb": MAX_PHOTO_BYTES // 1_048_576},
            field="photos",
        )
    if sniff_content_type(data[:32]) not in IMAGE_TYPES:
        raise ValidationFailed(_("Το αρχείο δεν είναι φωτογραφία (JPEG, PNG, GIF ή WebP)."), field="photos")
    return sanitize_image(
        data,
        max_side=2048,
        thumb_side=320,
        field="photos",
        max_pixels=ANONYMOUS_MAX_IMAGE_PIXELS if anonymous else MAX_IMAGE_PIXELS,
    )


def store_photo(report: Report, clean: Any, *, by_staff: bool) -> ReportPhoto:
    ext = "png" if clean.content_type == "image/png" else "jpg"
    name = secrets.token_hex(12)
    photo = ReportPhoto(
        municipality=report.municipality,
        report=report,
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        is_public=by_staff,
        uploaded_by_staff=by_staff,
    )
    photo.image.save(f"{name}.{ext}", ContentFile(clean.data), save=False)
    photo.thumbnail.save(f"{name}-thumb.jpg", ContentFile(clean.thumbnail), save=False)
    photo.save()
    return photo


@transaction.atomic
def photo_add(*, report: Report, upload: Any, actor: Any) -> ReportPhoto:
    if report.photos.count() >= MAX_PHOTOS + 3:
        raise ValidationFailed(_("Η αναφορά έχει ήδη αρκετές φωτογραφίες."), field="photo")
    photo = store_photo(report, clean_photo(upload), by_staff=True)
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    data_changed(report.municipality_id, DATA_TOPIC)
    audit_record(action="reports.photo_added", actor=actor, obj=report)
    return photo


@transaction.atomic
def photo_set_public(*, photo: ReportPhoto, public: bool, actor: Any) -> ReportPhoto:
    photo.is_public = public
    photo.save(update_fields=["is_public"])
    # The public record (Open311 media_url) changed: move the report's clock.
    Report.objects.filter(pk=photo.report_id).update(updated_at=timezone.now())
    data_changed(photo.municipality_id, DATA_TOPIC)
    audit_record(
        action="reports.photo_published" if public else "reports.photo_hidden", actor=actor, obj=photo.report
    )
    return photo
