"""What the e-services' writes share: the locked row, the history row, the citizen's notification."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from dimos.core.capabilities import Capability, has_capability, may_handle_application
from dimos.core.exceptions import NotFound
from dimos.core.exceptions import PermissionDenied as DomainPermissionDenied
from dimos.core.models import Municipality
from dimos.core.services import notify
from dimos.core.tenancy import is_staff_of
from dimos.eservices.constants import Status
from dimos.eservices.models import Application, ApplicationEvent, Attachment


def record_event(
    application: Application,
    *,
    kind: str,
    actor: Any,
    comment: str = "",
    from_status: str = "",
    to_status: str = "",
    visible: bool = True,
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        municipality_id=application.municipality_id,
        application=application,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        visible_to_citizen=visible,
    )


def notify_citizen(application: Application, key: str, **extra: Any) -> None:
    with translation.override("en"):
        status_en = str(Status(application.status).label)
    notify(
        municipality=application.municipality,
        key=key,
        user=application.citizen,
        context={
            "service": application.service.title_el,
            "service_en": application.service.title_en or application.service.title_el,
            "protocol": application.protocol_label,
            "status": application.get_status_display(),
            "status_code": application.status,
            "status_en": status_en,
            "deadline": application.deadline.strftime("%d/%m/%Y") if application.deadline else "",
            "application_id": application.pk,
            **extra,
        },
    )


def store_files(application: Application, files: dict[str, list[tuple[str, bytes, str]]]) -> list[Attachment]:
    stored = []
    for field, items in files.items():
        for name, data, mime in items:
            attachment = Attachment(
                municipality_id=application.municipality_id,
                application=application,
                field=field,
                filename=name,
                content_type=mime,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
            ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(mime, "bin")
            attachment.file.save(
                f"a{application.pk}-{attachment.sha256[:16]}.{ext}", ContentFile(data), save=False
            )
            attachment.save()
            stored.append(attachment)
    return stored


def locked(application_id: int, municipality: Municipality) -> Application:
    try:
        return (
            Application.objects.select_for_update(of=("self",))
            .select_related("service", "citizen", "municipality", "department")
            .get(pk=application_id, municipality=municipality)
        )
    except Application.DoesNotExist as exc:
        raise NotFound(_("Η αίτηση δεν βρέθηκε.")) from exc


def require_staff(actor: Any, municipality: Municipality, capability: Capability) -> None:
    """Staff of ``municipality`` who may write and hold ``capability`` (the views check it first)."""
    if not is_staff_of(actor, municipality, write=True) or not has_capability(actor, capability):
        raise DomainPermissionDenied(_("Δεν έχετε δικαίωμα ενεργειών σε αυτή την αίτηση."))


def require_handler(actor: Any, application: Application) -> None:
    """Only staff who handle the application's department act on it (architecture rule 13)."""
    if not may_handle_application(actor, application.department_id):
        raise DomainPermissionDenied(_("Η αίτηση ανήκει σε άλλο τμήμα."))
