"""The HTTP batch door: ``POST /api/v1/sensors/readings/`` (JSON, many readings).

Idempotent per (device, observed time); answers 200 when every item was stored or
was already there, 207 with per-item results when some failed. Errors of the
whole request are RFC 9457 problem details.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dimos.core.badinput import json_loads
from dimos.core.problems import problem_response
from dimos.sensors.auth import CredentialRefused, request_credential
from dimos.sensors.constants import MAX_BATCH, WRITE_SCOPES, Source
from dimos.sensors.services import ReadingIn, readings_ingest


def _problem(status: int, code: str, title: str, detail: str) -> JsonResponse:
    response = problem_response(status=status, title=title, detail=detail, code=code)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="dimos-sensors"'
    return response


@csrf_exempt
@require_POST
def readings_batch(request: HttpRequest) -> JsonResponse:
    content_type = request.content_type or ""
    if content_type != "application/json":
        return _problem(
            415,
            "unsupported_media_type",
            _("Μη υποστηριζόμενος τύπος περιεχομένου"),
            _("Στείλτε Content-Type: application/json."),
        )
    try:
        credential = request_credential(request, getattr(request, "municipality", None))
    except CredentialRefused:
        credential = None
    if credential is None:
        return _problem(
            401,
            "not_authenticated",
            _("Χρειάζεται διαπιστευτήριο"),
            _(
                "Λείπει, είναι λάθος, έχει ανακληθεί ή ανήκει σε άλλον δήμο το διαπιστευτήριο "
                "ενσωμάτωσης (Authorization: Bearer …)."
            ),
        )
    if not credential.has_scope(*WRITE_SCOPES):
        return _problem(
            403,
            "insufficient_scope",
            _("Το διαπιστευτήριο δεν γράφει μετρήσεις"),
            _("Το διαπιστευτήριο δεν έχει δικαίωμα εγγραφής μετρήσεων· ζητήστε το από τον διαχειριστή."),
        )
    try:
        body: Any = json_loads(request.body)
    except ValueError:
        return _problem(
            400, "malformed_json", _("Μη έγκυρο JSON"), _("Το σώμα του αιτήματος δεν είναι έγκυρο JSON.")
        )
    readings = body.get("readings") if isinstance(body, dict) else body
    if not isinstance(readings, list) or not readings:
        return _problem(
            400,
            "invalid",
            _("Μη έγκυρο αίτημα"),
            _('Στείλτε {"readings": [...]} με τουλάχιστον μία μέτρηση.'),
        )
    if len(readings) > MAX_BATCH:
        return _problem(
            413,
            "batch_too_large",
            _("Πολύ μεγάλη δέσμη"),
            _("Έως %(max)d μετρήσεις ανά αίτημα· στάλθηκαν %(sent)d.")
            % {"max": MAX_BATCH, "sent": len(readings)},
        )
    items = []
    for raw in readings:
        if isinstance(raw, dict):
            items.append(
                ReadingIn(
                    device=raw.get("device"), observed_at=raw.get("observedAt"), values=raw.get("values")
                )
            )
        else:
            items.append(ReadingIn(device=None, observed_at=None, values={}))
    outcome = readings_ingest(
        municipality=credential.municipality, items=items, source=Source.HTTP, credential=credential
    )
    for result, raw in zip(outcome.results, readings, strict=True):
        if not isinstance(raw, dict):
            result.error, result.field = _("Κάθε μέτρηση πρέπει να είναι αντικείμενο JSON."), ""
    body_out = {
        "created": outcome.created,
        "duplicates": outcome.duplicates,
        "errors": outcome.errors,
        "results": [
            {k: v for k, v in vars(r).items() if v != "" or k in ("status",)} for r in outcome.results
        ],
    }
    return JsonResponse(
        body_out, status=207 if outcome.errors else 200, json_dumps_params={"ensure_ascii": False}
    )
