"""Who may read and write at every staff URL of the appointments app (the role × URL walk).

The desk (``appointments.desk``): the caseworkers who serve citizens at a counter.
The day list names citizens, so the school director, the education officer and
the Region viewer get 403.
"""

from dimos.core.access import CASEWORKERS, Access

ACCESS = {
    "appointments:day_list": Access(read=CASEWORKERS),
    "appointments:day_print": Access(read=CASEWORKERS),
    "appointments:mark": Access(write=CASEWORKERS),
    "appointments:staff_cancel": Access(read=CASEWORKERS, write=CASEWORKERS),
    "appointments-api:api_day_list": Access(read=CASEWORKERS),
    "appointments-api:api_mark": Access(write=CASEWORKERS),
}
