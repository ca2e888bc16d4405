"""Who may read the mayor's dashboard (the role × URL walk): the mayor and deputy mayors, the administrator."""

from dimos.core.access import DASHBOARD_ROLES, Access

ACCESS = {
    "dashboards:mayor": Access(read=DASHBOARD_ROLES),
}
