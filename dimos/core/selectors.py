from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import translation

from dimos.core.audit_actions import AUDIT_ACTIONS
from dimos.core.models import AuditEvent, Department, Municipality, MunicipalUnit
from dimos.core.search import search_key, search_words


def municipality_list_public() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_active=True).order_by("name_el")


def unit_list(*, municipality: Municipality) -> QuerySet[MunicipalUnit]:
    return MunicipalUnit.objects.filter(municipality=municipality).order_by("name_el")


def department_list(*, municipality: Municipality) -> QuerySet[Department]:
    return Department.objects.filter(municipality=municipality).select_related("parent").order_by("name_el")


def audit_actions_matching(query: str) -> list[str]:
    """The action codes whose label (in the page's language or in Greek) or code has every word of ``query``."""
    words = search_words(query)
    if not words:
        return []
    found = []
    for code, label in AUDIT_ACTIONS.items():
        with translation.override("el"):
            greek = str(label)
        text = search_key([code, label, greek])
        if all(word in text for word in words):
            found.append(code)
    return found


def audit_event_list(
    *, municipality: Municipality, action: str = "", object_type: str = ""
) -> QuerySet[AuditEvent]:
    """The municipality's audit trail, newest first (the staff audit page).

    ``action`` is what the staff typed: words of an action's label («ακύρωση πρωτοκόλλου»,
    accents and case as they come) or of its code («schools.licence»)."""
    qs = AuditEvent.objects.filter(municipality=municipality).select_related("actor")
    words = search_words(action)
    if words:
        by_code = Q()
        for word in words:
            by_code &= Q(action__contains=word)
        qs = qs.filter(by_code | Q(action__in=audit_actions_matching(action)))
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs.order_by("-created_at", "-pk")
