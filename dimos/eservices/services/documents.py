"""Issued documents: issue (render, seal, hash, register), reissue, revoke; the public lookup log."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.capabilities import Capability
from dimos.core.exceptions import Conflict, NotFound, ValidationFailed
from dimos.core.links import public_base_url
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.eservices.codes import code_generate
from dimos.eservices.constants import Direction, DocumentStatus, EventKind, Status
from dimos.eservices.models import Application, IssuedDocument, VerificationLookup
from dimos.eservices.pdfs import issued_document_pdf
from dimos.eservices.register import get_register
from dimos.eservices.services.common import (
    locked,
    notify_citizen,
    record_event,
    require_handler,
    require_staff,
)
from dimos.eservices.signing import get_sealer


def verify_url(municipality: Municipality, code: str, base_url: str = "") -> str:
    """The public verification address on the municipality's host."""
    base = base_url.rstrip("/") or public_base_url(municipality)
    return f"{base}/verify/{code}/"


def _unique_code() -> str:
    for _attempt in range(10):
        code = code_generate()
        if not IssuedDocument.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not draw a unique verification code")


def document_issue(
    *, application: Application, actor: Any, base_url: str = "", transition: bool = True
) -> IssuedDocument:
    """Render, seal, hash and store the document; register it as outgoing.

    Called inside the transition's transaction (the application row is locked).
    A previous valid document of the same application becomes superseded.
    """
    service = application.service
    municipality = application.municipality
    title = service.document_title or service.title_el
    code = _unique_code()  # before the number: the counter row stays locked until commit
    now = timezone.now()
    entry = get_register().register(
        municipality=municipality,
        direction=Direction.OUTGOING,
        subject=title,
        correspondent=application.citizen.get_full_name() or application.citizen.username,
        obj=application,
    )
    pdf = issued_document_pdf(
        application=application,
        title=title,
        protocol_label=entry.label,
        issued_at=now,
        code=code,
        verify_url=verify_url(municipality, code, base_url),
    )
    pdf, sealed = get_sealer().seal(pdf, municipality=municipality, reason=title)
    document = IssuedDocument(
        municipality=municipality,
        application=application,
        code=code,
        title=title,
        protocol=entry,
        issued_at=now,
        sha256=hashlib.sha256(pdf).hexdigest(),
        sealed=sealed,
    )
    document.pdf.save(f"{code}.pdf", ContentFile(pdf), save=False)
    document.save()
    entry.object_type, entry.object_id = document._meta.label_lower, str(document.pk)
    entry.save(update_fields=["object_type", "object_id"])
    previous = IssuedDocument.objects.filter(application=application, status=DocumentStatus.VALID).exclude(
        pk=document.pk
    )
    for old in previous:
        old.status = DocumentStatus.SUPERSEDED
        old.superseded_by = document
        old.status_changed_at = now
        old.status_reason = _("Αντικαταστάθηκε από το έγγραφο %(p)s.") % {"p": entry.label}
        old.save(update_fields=["status", "superseded_by", "status_changed_at", "status_reason"])
    if application.status != Status.ISSUED:
        from_status = application.status
        application.status = Status.ISSUED
        application.save(update_fields=["status", "updated_at"])
        record_event(
            application,
            kind=EventKind.TRANSITION,
            actor=actor,
            from_status=from_status,
            to_status=Status.ISSUED,
        )
    record_event(
        application,
        kind=EventKind.DOCUMENT,
        actor=actor,
        comment=_("Εκδόθηκε «%(t)s», αρ. πρωτ. %(p)s.") % {"t": title, "p": entry.label},
    )
    audit_record(
        action="services.document_issued",
        actor=actor,
        obj=document,
        municipality=municipality,
        new={"protocol": entry.label},
    )
    notify_citizen(application, "services.issued", document_title=title, document_protocol=entry.label)
    return document


@transaction.atomic
def document_reissue(
    *, application_id: int, municipality: Municipality, actor: Any, base_url: str = ""
) -> IssuedDocument:
    require_staff(actor, municipality, Capability.ESERVICES_HANDLE)
    application = locked(application_id, municipality)
    require_handler(actor, application)
    if application.status != Status.ISSUED:
        raise Conflict(_("Επανέκδοση γίνεται μόνο για αιτήσεις με εκδοθέν έγγραφο."))
    return document_issue(application=application, actor=actor, base_url=base_url)


@transaction.atomic
def document_revoke(
    *, document_id: int, municipality: Municipality, actor: Any, reason: str
) -> IssuedDocument:
    require_staff(actor, municipality, Capability.ESERVICES_HANDLE)
    document = (
        IssuedDocument.objects.select_for_update(of=("self",))
        .select_related("application__citizen", "application__service")
        .filter(pk=document_id, municipality=municipality)
        .first()
    )
    if document is None:
        raise NotFound(_("Το έγγραφο δεν βρέθηκε."))
    require_handler(actor, document.application)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Η ανάκληση χρειάζεται αιτιολογία."), field="reason")
    if document.status != DocumentStatus.VALID:
        raise Conflict(_("Το έγγραφο δεν είναι σε ισχύ· δεν ανακαλείται."))
    document.status = DocumentStatus.REVOKED
    document.status_reason = reason[:300]
    document.status_changed_at = timezone.now()
    document.save(update_fields=["status", "status_reason", "status_changed_at"])
    record_event(
        document.application,
        kind=EventKind.DOCUMENT,
        actor=actor,
        comment=_("Ανακλήθηκε το έγγραφο %(p)s: %(r)s") % {"p": document.protocol.label, "r": reason},
    )
    audit_record(
        action="services.document_revoked",
        actor=actor,
        obj=document,
        municipality=municipality,
        new={"reason": reason},
    )
    notify_citizen(document.application, "services.revoked", document_title=document.title, reason=reason)
    return document


def verification_log(
    *,
    municipality: Municipality,
    document: IssuedDocument | None,
    how: str,
    result: str,
    document_id: int | None = None,
) -> None:
    """Log a public lookup without personal data (no IP, no user).

    One plain INSERT into a narrow table (no model instance, no signals): it runs
    on every public lookup, so it is kept as cheap as the row itself.
    """
    if document is not None:
        document_id = document.pk
    ops = connection.ops
    table = ops.quote_name(VerificationLookup._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (municipality_id, document_id, how, result, created_at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            [
                municipality.pk,
                document_id,
                how[:10],
                str(result)[:20],
                ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
