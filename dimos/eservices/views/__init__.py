"""HTML views of the e-services, by audience: citizen, staff, register, verify.

The names stay importable from ``dimos.eservices.views`` (URLconf, tests, bench).
"""

from dimos.eservices.views.citizen import (
    application_edit,
    application_receipt,
    application_receipt_pdf,
    application_review,
    apply,
    catalogue,
    my_application,
    my_applications,
    my_attachment,
    my_document,
    service_detail,
)
from dimos.eservices.views.register import register, register_csv, register_pdf_view, register_void
from dimos.eservices.views.staff import (
    staff_application,
    staff_application_action,
    staff_attachment,
    staff_document,
    staff_document_revoke,
    staff_issue_confirm,
    staff_queue,
)
from dimos.eservices.views.verify import rate_limited, verify_document, verify_lookup

__all__ = [
    "application_edit",
    "application_receipt",
    "application_receipt_pdf",
    "application_review",
    "apply",
    "catalogue",
    "my_application",
    "my_applications",
    "my_attachment",
    "my_document",
    "rate_limited",
    "register",
    "register_csv",
    "register_pdf_view",
    "register_void",
    "service_detail",
    "staff_application",
    "staff_application_action",
    "staff_attachment",
    "staff_document",
    "staff_document_revoke",
    "staff_issue_confirm",
    "staff_queue",
    "verify_document",
    "verify_lookup",
]
