"""Core write services: the audit trail and notifications."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.template import Context, Template, TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dimos.core.constants import Channel, DeliveryStatus
from dimos.core.context import current_ip
from dimos.core.models import AuditEvent, Municipality, Notification, NotificationTemplate
from dimos.core.sms import get_sms_backend
from dimos.core.tasks import task, task_enqueue

log = logging.getLogger("dimos.notifications")


def audit_record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    municipality: Municipality | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. The client IP comes from the request context."""
    if municipality is None and obj is not None:
        municipality = getattr(obj, "municipality", None) if hasattr(obj, "municipality_id") else None
    return AuditEvent.objects.create(
        municipality=municipality,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        old_values=old,
        new_values=new,
        ip_address=current_ip.get(),
    )


def _render(
    *, municipality: Municipality, key: str, channel: str, language: str, context: dict[str, Any]
) -> tuple[str, str]:
    """Render subject and body: a municipality's override, else the shipped template.

    Shipped templates live at ``templates/notifications/<key>.<channel>.<lang>.txt``;
    their first line is the subject (e-mail) and the rest the body.
    """
    ctx = {"municipality": municipality, **context}
    override = NotificationTemplate.objects.filter(
        municipality=municipality, key=key, channel=channel, language=language
    ).first()
    with translation.override(language):
        if override is not None:
            subject = Template(override.subject).render(Context(ctx)).strip()
            body = Template(override.body).render(Context(ctx)).strip()
            return subject, body
        try:
            text = render_to_string(f"notifications/{key}.{channel}.{language}.txt", ctx)
        except TemplateDoesNotExist:
            text = render_to_string(f"notifications/{key}.{channel}.el.txt", ctx)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip()


def notify(
    *,
    municipality: Municipality,
    key: str,
    context: dict[str, Any],
    user: Any = None,
    email: str = "",
    phone: str = "",
    language: str | None = None,
    channels: tuple[str, ...] = (Channel.EMAIL,),
) -> list[Notification]:
    """Queue a notification on each channel that has an address.

    Rendering happens now (the message reflects the state at the time of the
    event); delivery is a durable task scheduled in the caller's transaction.
    """
    if user is not None:
        email = email or (user.email if getattr(user, "email_verified", False) else "")
        phone = phone or (user.phone if getattr(user, "phone_verified", False) else "")
        language = language or getattr(user, "language", None)
    language = language if language in dict(settings.LANGUAGES) else "el"
    created = []
    for channel in channels:
        recipient = email if channel == Channel.EMAIL else phone
        if not recipient:
            continue
        subject, body = _render(
            municipality=municipality, key=key, channel=channel, language=language, context=context
        )
        notification = Notification.objects.create(
            municipality=municipality,
            key=key,
            channel=channel,
            language=language,
            user=user if getattr(user, "pk", None) else None,
            recipient=recipient,
            subject=subject[:200],
            body=body,
        )
        task_enqueue("core.deliver_notification", {"notification_id": notification.pk})
        created.append(notification)
    return created


def notification_deliver(*, notification_id: int) -> None:
    """Send one notification, retrying with back-off by re-queueing itself.

    Failures are recorded on the notification (the delivery log), never raised,
    so the record of a failed attempt commits together with its retry.
    """
    notification = Notification.objects.select_for_update().get(pk=notification_id)
    if notification.status == DeliveryStatus.SENT:
        return
    notification.attempts += 1
    try:
        if notification.channel == Channel.EMAIL:
            EmailMessage(
                subject=notification.subject, body=notification.body, to=[notification.recipient]
            ).send(fail_silently=False)
        else:
            get_sms_backend().send(notification.recipient, notification.body)
    except Exception as exc:
        notification.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        if notification.attempts >= settings.TASKS_MAX_ATTEMPTS:
            notification.status = DeliveryStatus.FAILED
        else:
            task_enqueue(
                "core.deliver_notification",
                {"notification_id": notification.pk},
                delay=timedelta(seconds=30 * 2**notification.attempts),
            )
        notification.save(update_fields=["attempts", "last_error", "status"])
        log.warning(
            "notification #%s attempt %s failed: %s",
            notification.pk,
            notification.attempts,
            type(exc).__name__,
        )
        return
    notification.status = DeliveryStatus.SENT
    notification.sent_at = timezone.now()
    notification.last_error = ""
    notification.save(update_fields=["status", "sent_at", "attempts", "last_error"])


@task("core.deliver_notification")
def deliver_notification_task(*, notification_id: int) -> None:
    notification_deliver(notification_id=notification_id)
