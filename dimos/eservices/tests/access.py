"""Who may read and write at every staff URL of the e-services app (the role × URL walk).

Applications: the caseworkers of the department that handles them (clerks, heads,
the sensor operators who also do casework, the municipal administrator); the
register: read and write by caseworkers, voiding by heads and the administrator
only (``register.void``). The school director, the education officer and the
Region viewer have no business here.
"""

from dimos.core.access import CASEWORKERS, HEADS, Access

ACCESS = {
    "services:staff_queue": Access(read=CASEWORKERS),
    "services:staff_application": Access(read=CASEWORKERS),
    "services:staff_application_action": Access(write=CASEWORKERS),
    "services:staff_issue_confirm": Access(read=CASEWORKERS),
    "services:staff_attachment": Access(read=CASEWORKERS),
    "services:staff_document": Access(read=CASEWORKERS),
    "services:staff_document_revoke": Access(write=CASEWORKERS),
    "services:register": Access(read=CASEWORKERS, write=CASEWORKERS),
    "services:register_csv": Access(read=CASEWORKERS),
    "services:register_pdf": Access(read=CASEWORKERS),
    "services:register_void": Access(read=HEADS, write=HEADS),
    "services-api:staff_applications": Access(read=CASEWORKERS),
    "services-api:staff_application": Access(read=CASEWORKERS),
    "services-api:staff_transition": Access(write=CASEWORKERS),
    "services-api:register_entries": Access(read=CASEWORKERS),
}
