"""Every write of the reports app, split by topic and re-exported here.

``from dimos.reports.services import report_submit`` and ``services.report_submit(...)``
keep working; new code may import from the topic module. Services are keyword-only,
atomic, and raise ``dimos.core.exceptions`` errors with a Greek message a person can
act on. Side effects (notifications, forwarding e-mails) are durable task rows
written in the same transaction.

* ``intake``: the one report intake of the web form and Open311 (category, place, nearby, limit)
* ``submit``: creating and routing a report, from a citizen or from another system
* ``photos``: checking, storing and publishing photos
* ``workflow``: status changes, updates, assignment, priority, merging, feedback
* ``followers``: supporters and subscribers
* ``moderation``: the public text of a report (masked at intake, edited by moderators)
* ``validation``: checks of coordinates, place, text and answers
* the Open311 API keys live in ``dimos.reports.open311.keys``
"""

from dimos.reports.open311.keys import (
    hash_key,
    open311_client_for_key,
    open311_client_issue,
    open311_client_revoke,
)
from dimos.reports.services.followers import follower_unsubscribe, report_support
from dimos.reports.services.intake import Intake, intake_category, intake_place, report_intake
from dimos.reports.services.links import new_token, public_url
from dimos.reports.services.moderation import report_public_text_edit
from dimos.reports.services.photos import clean_photo, photo_add, photo_set_public, store_photo
from dimos.reports.services.submit import (
    Reporter,
    report_confirm_email,
    report_create_from_system,
    report_submit,
)
from dimos.reports.services.validation import (
    parse_coordinate,
    validate_attributes,
    validate_description,
    validate_location,
)
from dimos.reports.services.workflow import (
    lock,
    report_assign,
    report_comment,
    report_feedback,
    report_forward,
    report_merge,
    report_set_priority,
    report_transition,
)

__all__ = [
    "Intake",
    "Reporter",
    "clean_photo",
    "follower_unsubscribe",
    "hash_key",
    "intake_category",
    "intake_place",
    "lock",
    "new_token",
    "open311_client_for_key",
    "open311_client_issue",
    "open311_client_revoke",
    "parse_coordinate",
    "photo_add",
    "photo_set_public",
    "public_url",
    "report_assign",
    "report_comment",
    "report_confirm_email",
    "report_create_from_system",
    "report_feedback",
    "report_forward",
    "report_intake",
    "report_merge",
    "report_public_text_edit",
    "report_set_priority",
    "report_submit",
    "report_support",
    "report_transition",
    "store_photo",
    "validate_attributes",
    "validate_description",
    "validate_location",
]
