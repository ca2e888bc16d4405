"""The role × URL walk (architecture rule 13): a declared table of who may read and who may write.

Each app declares, in ``<app>/tests/access.py``, ``ACCESS: dict[str, Access]``: for
every staff URL name, the roles that may read it (GET) and the roles that may
write to it (its unsafe methods). The core test
(``dimos/core/tests/test_role_walk.py``) then walks every staff URL and API
endpoint found in the URL resolver, with the objects each app's isolation cases
create, as a member of staff of every role in Serres (all in the department that
owns those objects, so the walk checks capabilities; object rules have their own
tests), and checks each answer against the table:

* a URL missing from every table fails the suite (like the tenancy walk);
* a role the table allows must not be refused (no 403/404);
* a role the table does not allow must get 403 (a staff member of this
  municipality learns that they may not; other tenants still get 404).

The table is written by hand, from what each role's work needs: it is the
specification the capability declarations in the views are checked against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dimos.core.constants import StaffRole

R = StaffRole
ALL_STAFF = frozenset(StaffRole.values)
MUNICIPAL_STAFF = ALL_STAFF - {R.REGION_VIEWER}
CASEWORKERS = frozenset({R.CLERK, R.DEPARTMENT_HEAD, R.SENSOR_OPERATOR, R.MUNICIPAL_ADMIN})
HEADS = frozenset({R.DEPARTMENT_HEAD, R.MUNICIPAL_ADMIN})
ADMINS = frozenset({R.MUNICIPAL_ADMIN})
SENSOR_STAFF = frozenset({R.SENSOR_OPERATOR, R.MUNICIPAL_ADMIN})
SCHOOL_OFFICE = frozenset({R.EDUCATION_OFFICER, R.MUNICIPAL_ADMIN})
SCHOOL_STAFF = SCHOOL_OFFICE | {R.SCHOOL_DIRECTOR}
DASHBOARD_ROLES = frozenset({R.MAYOR, R.MUNICIPAL_ADMIN})


@dataclass(frozen=True)
class Access:
    """Who may read (GET) and who may write (POST, PUT, PATCH, DELETE) at one URL."""

    read: frozenset[str] = field(default_factory=frozenset)
    write: frozenset[str] = field(default_factory=frozenset)
