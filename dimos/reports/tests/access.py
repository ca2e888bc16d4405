"""Who may read and write each reports staff URL (the role × URL walk, dimos/core/access.py).

Caseworkers (clerks, heads, the sensor operators' desk, the administrator) handle
their department's reports; heads and the administrator also reassign and
moderate the public text; Open311 keys are the administrator's. The school
director, the education officer and the Region viewer have no work here: reports
carry citizens' contact details.
"""

from dimos.core.access import ADMINS, CASEWORKERS, HEADS, Access

ACCESS = {
    "reports:queue": Access(read=CASEWORKERS),
    "reports:queue_map_data": Access(read=CASEWORKERS),
    "reports:staff_detail": Access(read=CASEWORKERS, write=CASEWORKERS),
    "reports:staff_photo": Access(read=CASEWORKERS),
    "reports:assign": Access(write=HEADS),
    "reports:public_text": Access(write=HEADS),
    "reports:keys": Access(read=ADMINS, write=ADMINS),
}
