"""Who may read and write each schools staff URL (the role × URL walk, architecture rule 13).

* The education office (``schools.manage``: education officer, municipal
  administrator) reads and writes everything of its municipality's schools.
* A school director (``schools.own_school``) works on their own school only:
  its page, assets, loans (and their agreements), repairs, labels and the audit
  by scan. The walk's director directs none of the walk's schools, so on the
  walk's objects a director gets 403 (``is_own_school``) and the rows below say
  so; what a director may do on *their own* school is ``OWN_SCHOOL``, walked by
  ``test_access.py`` with the school's director.
* The Region viewer (``region.read``) reads the aggregates of the overview,
  the catalogue, the standards and the funding proposals; never pupils,
  guardians, staff or a single school's inventory, and never writes.
* Everyone else (clerks, department heads, sensor operators): 403.
"""

from dimos.core.access import SCHOOL_OFFICE, SCHOOL_STAFF, Access
from dimos.core.constants import StaffRole

REGION = frozenset({StaffRole.REGION_VIEWER})
DIRECTOR = frozenset({StaffRole.SCHOOL_DIRECTOR})
OFFICE_AND_REGION = SCHOOL_OFFICE | REGION
OFFICE_ONLY = Access(read=SCHOOL_OFFICE, write=SCHOOL_OFFICE)
REGION_READS = Access(read=OFFICE_AND_REGION, write=SCHOOL_OFFICE)
# Lists and exports: a director's are scoped to their school (empty for the walk's director).
SCHOOL_LISTS = Access(read=SCHOOL_STAFF)

ACCESS = {
    "schools:overview": Access(read=OFFICE_AND_REGION),
    "schools:my_school": SCHOOL_LISTS,
    "schools:school_create": OFFICE_ONLY,
    "schools:school_detail": Access(read=SCHOOL_OFFICE),
    "schools:school_edit": OFFICE_ONLY,
    "schools:school_year": Access(write=SCHOOL_OFFICE),
    "schools:labels_pdf": Access(read=SCHOOL_OFFICE),
    "schools:audit": OFFICE_ONLY,
    "schools:catalogue": REGION_READS,
    "schools:standards": REGION_READS,
    "schools:asset_list": SCHOOL_LISTS,
    "schools:asset_create": OFFICE_ONLY,
    "schools:asset_import": OFFICE_ONLY,
    "schools:asset_export_csv": SCHOOL_LISTS,
    "schools:asset_export_xlsx": SCHOOL_LISTS,
    "schools:asset_detail": Access(read=SCHOOL_OFFICE),
    "schools:asset_status": Access(write=SCHOOL_OFFICE),
    "schools:asset_move": Access(write=SCHOOL_OFFICE),
    "schools:loan_create": OFFICE_ONLY,
    "schools:repair_report": OFFICE_ONLY,
    "schools:licences": OFFICE_ONLY,
    "schools:licence_detail": OFFICE_ONLY,
    "schools:proposals": REGION_READS,
    "schools:proposal_detail": REGION_READS,
    "schools:proposal_status": Access(write=SCHOOL_OFFICE),
    "schools:proposal_pdf": Access(read=OFFICE_AND_REGION),
    "schools:proposal_xlsx": Access(read=OFFICE_AND_REGION),
    "schools:order_detail": OFFICE_ONLY,
    "schools:loans": SCHOOL_LISTS,
    "schools:loan_return": OFFICE_ONLY,
    "schools:loan_pdf": Access(read=SCHOOL_OFFICE),
    "schools:repairs": SCHOOL_LISTS,
    "schools:repair_detail": OFFICE_ONLY,
    "schools:repair_photo": Access(read=SCHOOL_OFFICE),
}

# What a school director may do on objects of their own school, beyond ``ACCESS``.
OWN_SCHOOL = {
    "schools:school_detail": Access(read=DIRECTOR),
    "schools:labels_pdf": Access(read=DIRECTOR),
    "schools:audit": Access(read=DIRECTOR, write=DIRECTOR),
    "schools:asset_detail": Access(read=DIRECTOR),
    "schools:loan_create": Access(read=DIRECTOR, write=DIRECTOR),
    "schools:repair_report": Access(read=DIRECTOR, write=DIRECTOR),
    "schools:loan_return": Access(read=DIRECTOR, write=DIRECTOR),
    "schools:loan_pdf": Access(read=DIRECTOR),
    "schools:repair_detail": Access(read=DIRECTOR),
    "schools:repair_photo": Access(read=DIRECTOR),
}
