"""What the citizen's and the staff's pages share: the answers as read, the deadline, file downloads."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _

from dimos.core.i18n import bilingual
from dimos.eservices.fields import field_type
from dimos.eservices.forms import display_value, field_specs


def answers(application: Any) -> list[tuple[str, str]]:
    """The application's answers as (label, value) rows; files are listed apart, as attachments."""
    rows = []
    for spec in field_specs(application.service):
        if field_type(spec["type"]).stores_files:
            continue
        label = bilingual(spec.get("label_el", spec["name"]), spec.get("label_en"))
        rows.append((label, display_value(spec, application.data.get(spec["name"]))))
    return rows


def deadline_text(application: Any) -> str:
    if not application.deadline:
        return "—"
    service = application.service
    return _("έως %(date)s (%(n)s %(kind)s, %(law)s)") % {
        "date": application.deadline.strftime("%d/%m/%Y"),
        "n": service.deadline_days,
        "kind": service.get_deadline_kind_display().lower(),
        "law": service.legal_basis or "ν. 2690/1999",
    }


def file_response(field_file: Any, filename: str, content_type: str) -> FileResponse:
    """A private file as a download that no browser or proxy keeps."""
    response = FileResponse(
        field_file.open("rb"), content_type=content_type, as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"
