"""Every write of the e-services app, by topic: applications (the citizen's side), workflow
(the clerk's), documents, the protocol register, deadlines.

The names stay importable from ``dimos.eservices.services`` for callers and tests.
"""

from dimos.core.exceptions import ValidationFailed
from dimos.eservices.services.applications import (
    application_answer,
    application_missing,
    application_save_draft,
    application_start,
    application_submit,
    attachment_remove,
)
from dimos.eservices.services.deadlines import deadline_compute, deadline_extend
from dimos.eservices.services.documents import (
    document_issue,
    document_reissue,
    document_revoke,
    verification_log,
    verify_url,
)
from dimos.eservices.services.protocol import protocol_register_manual, protocol_void
from dimos.eservices.services.workflow import (
    allowed_transitions,
    application_assign,
    application_forward,
    application_note,
    application_resume,
    application_transition,
    citizen_contact_read,
)

__all__ = [
    "ValidationFailed",
    "allowed_transitions",
    "application_answer",
    "application_assign",
    "application_forward",
    "application_missing",
    "application_note",
    "application_resume",
    "application_save_draft",
    "application_start",
    "application_submit",
    "application_transition",
    "attachment_remove",
    "citizen_contact_read",
    "deadline_compute",
    "deadline_extend",
    "document_issue",
    "document_reissue",
    "document_revoke",
    "protocol_register_manual",
    "protocol_void",
    "verification_log",
    "verify_url",
]
