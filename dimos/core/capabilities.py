"""Who may do what: capabilities, the roles that hold them, object rules and grants — in one place.

Architecture rule 13. A *capability* names one thing a member of staff may do
(``reports.handle``: work on citizens' reports). A *role* is a set of
capabilities (``ROLE_CAPABILITIES``), and every staff view, API endpoint, admin
model and menu entry declares the capability it needs. What a capability allows
on one object — a case of my department, my school — is an *object rule*,
written here beside the capabilities, never in a template. Least privilege is the
default: a role has only what its work needs, and a capability nobody declared
is a capability nobody has.

Tenancy stays where it was (``dimos/core/tenancy.py``): staff of another
municipality get 404, as if nothing were there; a member of staff of *this*
municipality who lacks the capability gets a Greek 403 page that says so.

docs/permissions.md explains the model for administrators (who can grant what)
and for developers (how to declare a capability); ADR 0010 says why it is a
module of our own and not a library.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from dimos.core.constants import StaffRole


class Capability(StrEnum):
    """Everything a member of staff may be allowed to do. Labels are in ``CAPABILITY_LABELS``."""

    STAFF_AREA = "staff.area"
    AUDIT_READ = "audit.read"
    USERS_MANAGE = "users.manage"
    STRUCTURE_MANAGE = "structure.manage"
    ESERVICES_HANDLE = "eservices.handle"
    ESERVICES_ALL_DEPARTMENTS = "eservices.all_departments"
    ESERVICES_ASSIGN = "eservices.assign"
    REGISTER_READ = "register.read"
    REGISTER_WRITE = "register.write"
    REGISTER_VOID = "register.void"
    APPOINTMENTS_DESK = "appointments.desk"
    REPORTS_HANDLE = "reports.handle"
    REPORTS_ALL_DEPARTMENTS = "reports.all_departments"
    REPORTS_ASSIGN = "reports.assign"
    REPORTS_MODERATE = "reports.moderate"
    OPEN311_KEYS = "open311.keys"
    SENSORS_READ = "sensors.read"
    SENSORS_OPERATE = "sensors.operate"
    SENSORS_CREDENTIALS = "sensors.credentials"
    SCHOOLS_MANAGE = "schools.manage"
    SCHOOLS_OWN_SCHOOL = "schools.own_school"
    REGION_READ = "region.read"
    DASHBOARD_VIEW = "dashboard.view"


CAPABILITY_LABELS: dict[Capability, Any] = {
    Capability.STAFF_AREA: _("Χώρος υπηρεσιών"),
    Capability.AUDIT_READ: _("Ανάγνωση του ίχνους ελέγχου"),
    Capability.USERS_MANAGE: _("Διαχείριση χρηστών του δήμου"),
    Capability.STRUCTURE_MANAGE: _("Διαχείριση δομής του δήμου (υπηρεσίες, ενότητες)"),
    Capability.ESERVICES_HANDLE: _("Χειρισμός αιτήσεων πολιτών του τμήματος"),
    Capability.ESERVICES_ALL_DEPARTMENTS: _("Αιτήσεις πολιτών όλων των τμημάτων"),
    Capability.ESERVICES_ASSIGN: _("Ανάθεση αιτήσεων μέσα στο τμήμα"),
    Capability.REGISTER_READ: _("Ανάγνωση του βιβλίου πρωτοκόλλου"),
    Capability.REGISTER_WRITE: _("Καταχώριση στο βιβλίο πρωτοκόλλου"),
    Capability.REGISTER_VOID: _("Ακύρωση αριθμού πρωτοκόλλου"),
    Capability.APPOINTMENTS_DESK: _("Γκισέ ραντεβού"),
    Capability.REPORTS_HANDLE: _("Χειρισμός αναφορών πολιτών του τμήματος"),
    Capability.REPORTS_ALL_DEPARTMENTS: _("Αναφορές πολιτών όλων των τμημάτων"),
    Capability.REPORTS_ASSIGN: _("Ανάθεση αναφορών μέσα στο τμήμα"),
    Capability.REPORTS_MODERATE: _("Επιμέλεια του δημόσιου κειμένου των αναφορών"),
    Capability.OPEN311_KEYS: _("Κλειδιά Open311"),
    Capability.SENSORS_READ: _("Εικόνα της πλατφόρμας αισθητήρων"),
    Capability.SENSORS_OPERATE: _("Χειρισμός αισθητήρων, κανόνων και συναγερμών"),
    Capability.SENSORS_CREDENTIALS: _("Διαπιστευτήρια ενσωμάτωσης αισθητήρων"),
    Capability.SCHOOLS_MANAGE: _("Εξοπλισμός όλων των σχολείων"),
    Capability.SCHOOLS_OWN_SCHOOL: _("Εξοπλισμός του δικού μου σχολείου"),
    Capability.REGION_READ: _("Συγκεντρωτικά και δημόσια στοιχεία όλων των δήμων"),
    Capability.DASHBOARD_VIEW: _("Πίνακας δεικτών του δήμου (δήμαρχος)"),
}

C = Capability
_CASEWORK = frozenset(
    {
        C.STAFF_AREA,
        C.ESERVICES_HANDLE,
        C.REGISTER_READ,
        C.REGISTER_WRITE,
        C.APPOINTMENTS_DESK,
        C.REPORTS_HANDLE,
    }
)
_HEAD = _CASEWORK | {C.ESERVICES_ASSIGN, C.REPORTS_ASSIGN, C.REPORTS_MODERATE, C.REGISTER_VOID, C.AUDIT_READ}

# The one table of roles. A role not listed here can do nothing.
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    StaffRole.CLERK: _CASEWORK,
    StaffRole.DEPARTMENT_HEAD: _HEAD,
    StaffRole.SENSOR_OPERATOR: _CASEWORK | {C.SENSORS_READ, C.SENSORS_OPERATE},
    StaffRole.EDUCATION_OFFICER: frozenset({C.STAFF_AREA, C.SCHOOLS_MANAGE}),
    StaffRole.MUNICIPAL_ADMIN: frozenset(C) - {C.SCHOOLS_OWN_SCHOOL, C.REGION_READ},
    StaffRole.SCHOOL_DIRECTOR: frozenset({C.STAFF_AREA, C.SCHOOLS_OWN_SCHOOL}),
    StaffRole.REGION_VIEWER: frozenset({C.STAFF_AREA, C.REGION_READ}),
    # The mayor and the deputy mayors see how the services perform, in aggregate: no
    # case lists, no citizen's record (the figures link to lists only for roles that have them).
    StaffRole.MAYOR: frozenset({C.STAFF_AREA, C.DASHBOARD_VIEW}),
}

# Who may grant which role (and so create, change or activate an account with it), inside
# their own municipality. Region-wide roles and municipal administrators: platform
# administrators only (``may_grant``).
GRANTS: dict[str, frozenset[str]] = {
    StaffRole.MUNICIPAL_ADMIN: frozenset(
        {
            StaffRole.CLERK,
            StaffRole.DEPARTMENT_HEAD,
            StaffRole.SENSOR_OPERATOR,
            StaffRole.EDUCATION_OFFICER,
            StaffRole.SCHOOL_DIRECTOR,
        }
    ),
}
REGION_WIDE_ROLES = frozenset({StaffRole.REGION_VIEWER})


def capabilities_of(user: Any) -> frozenset[Capability]:
    """The capabilities ``user`` holds through their role (everything for a platform administrator)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(C)
    return ROLE_CAPABILITIES.get(getattr(user, "role", "") or "", frozenset())


def has_capability(user: Any, capability: Capability | str) -> bool:
    return Capability(capability) in capabilities_of(user)


def has_any_capability(user: Any, capabilities: Iterable[Capability | str]) -> bool:
    held = capabilities_of(user)
    return any(Capability(c) in held for c in capabilities)


# --- Object rules -------------------------------------------------------------------


def handles_department(user: Any, department_id: int | None, *, all_departments: Capability) -> bool:
    """Whether ``user`` works on cases of ``department_id``.

    Their own department and the departments under it (a head of a directorate
    sees its offices); everything with the ``all_departments`` capability (the
    municipal administrator). A case with no department yet is handled by those
    with ``all_departments`` only.
    """
    if has_capability(user, all_departments):
        return True
    own = getattr(user, "department_id", None)
    if own is None or department_id is None:
        return False
    if own == department_id:
        return True
    from dimos.core.models import Department

    return Department.objects.filter(pk=department_id, parent_id=own).exists()


def may_handle_application(user: Any, department_id: int | None) -> bool:
    return has_capability(user, C.ESERVICES_HANDLE) and handles_department(
        user, department_id, all_departments=C.ESERVICES_ALL_DEPARTMENTS
    )


def may_handle_report(user: Any, department_id: int | None) -> bool:
    return has_capability(user, C.REPORTS_HANDLE) and handles_department(
        user, department_id, all_departments=C.REPORTS_ALL_DEPARTMENTS
    )


def may_see_citizen_contact(user: Any, *, department_id: int | None, kind: str) -> bool:
    """A citizen's contact details only to staff of the department that handles the case.

    ``kind`` is ``"application"`` or ``"report"``. Each such read is an audit event
    (``contact_read_record`` in the app that shows it).
    """
    check = may_handle_application if kind == "application" else may_handle_report
    return check(user, department_id)


def is_own_school(user: Any, school: Any) -> bool:
    """A school director's school is the one their account names; the office sees all schools."""
    if has_capability(user, C.SCHOOLS_MANAGE):
        return True
    return has_capability(user, C.SCHOOLS_OWN_SCHOOL) and getattr(school, "director_id", None) == user.pk


# --- Grants ----------------------------------------------------------------------------


def grantable_roles(granter: Any) -> frozenset[str]:
    """The roles ``granter`` may give to accounts of their own municipality."""
    if getattr(granter, "is_superuser", False):
        return frozenset(StaffRole.values)
    return GRANTS.get(getattr(granter, "role", "") or "", frozenset())


def may_grant(granter: Any, role: str, *, municipality_id: int | None) -> bool:
    """Whether ``granter`` may give ``role`` to an account of ``municipality_id``.

    Platform administrators: any role, anywhere. Others: the roles of ``GRANTS``,
    inside their own municipality only; never a Region-wide role, never a
    municipal administrator, never a platform administrator.
    """
    if getattr(granter, "is_superuser", False):
        return True
    if not role:
        return has_capability(granter, C.USERS_MANAGE) and municipality_id == granter.municipality_id
    if role in REGION_WIDE_ROLES or municipality_id is None:
        return False
    return municipality_id == granter.municipality_id and role in grantable_roles(granter)
