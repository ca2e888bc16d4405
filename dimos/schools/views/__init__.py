"""HTML pages of the schools app (thin: forms in, services do the work), one module per topic.

The views are re-exported here so ``dimos.schools.urls`` and any
``from dimos.schools.views import …`` keep working.
"""

from dimos.schools.views.assets import asset_create, asset_detail, asset_list, asset_move, asset_status
from dimos.schools.views.equipment import catalogue, standards
from dimos.schools.views.funding import (
    order_detail,
    proposal_detail,
    proposal_pdf,
    proposal_status,
    proposal_xlsx,
    proposals,
)
from dimos.schools.views.imports import asset_export, asset_import
from dimos.schools.views.labels import audit, labels_pdf
from dimos.schools.views.lending import loan_create, loan_pdf, loan_return, loans
from dimos.schools.views.licensing import licence_detail, licences
from dimos.schools.views.maintenance import repair_detail, repair_photo, repair_report, repairs
from dimos.schools.views.schools import my_school, overview, school_detail, school_edit, school_year

__all__ = [
    "asset_create",
    "asset_detail",
    "asset_export",
    "asset_import",
    "asset_list",
    "asset_move",
    "asset_status",
    "audit",
    "catalogue",
    "labels_pdf",
    "licence_detail",
    "licences",
    "loan_create",
    "loan_pdf",
    "loan_return",
    "loans",
    "my_school",
    "order_detail",
    "overview",
    "proposal_detail",
    "proposal_pdf",
    "proposal_status",
    "proposal_xlsx",
    "proposals",
    "repair_detail",
    "repair_photo",
    "repair_report",
    "repairs",
    "school_detail",
    "school_edit",
    "school_year",
    "standards",
]
