"""Who may read the mayor's dashboard (the role × URL walk): the mayor and deputy mayors, the administrator;
the Region comparison: Region staff."""

from dimos.core.access import DASHBOARD_ROLES, Access
from dimos.core.constants import StaffRole

ACCESS = {
    "dashboards:mayor": Access(read=DASHBOARD_ROLES),
    # The Region's comparison: Region staff only (a municipality's staff compare nothing across tenants).
    "dashboards:region": Access(read=frozenset({StaffRole.REGION_VIEWER})),
}
