"""The one family of domain errors. Views, the REST API and commands translate it."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A request that cannot be carried out; ``message`` is safe to show to a person.

    ``field`` names the form field at fault when there is one; ``errors`` may map
    several fields to messages.
    """

    status = 400
    code = "invalid"
    title = "Μη έγκυρο αίτημα"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        errors: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
        self.errors = errors or ({field: [message]} if field else {})
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    status = 400
    code = "validation_failed"
    title = "Τα στοιχεία δεν είναι έγκυρα"


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    title = "Δεν βρέθηκε"


class PermissionDenied(ApplicationError):
    status = 403
    code = "permission_denied"
    title = "Δεν επιτρέπεται"


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    title = "Σύγκρουση με την τρέχουσα κατάσταση"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    title = "Η μετάβαση δεν επιτρέπεται"


class RateLimited(ApplicationError):
    status = 429
    code = "rate_limited"
    title = "Πάρα πολλά αιτήματα"
