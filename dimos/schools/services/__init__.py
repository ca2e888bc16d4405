"""Every write of the schools app (keyword-only, atomic, audited), one module per topic.

The names are re-exported here so ``from dimos.schools import services`` and
``from dimos.schools.services import asset_create`` keep working.
"""

from dimos.schools.services.assets import (
    asset_create,
    asset_lock,
    asset_move,
    asset_tags_allocate,
    asset_transition,
    asset_transition_locked,
)
from dimos.schools.services.imports import (
    StagedImport,
    import_abandoned_purge,
    import_apply,
    import_cleanup_run,
    import_discard,
    import_stage,
)
from dimos.schools.services.licences import licence_assign, licence_reminders_send
from dimos.schools.services.loans import loan_checkout, loan_overdue_reminders_send, loan_return
from dimos.schools.services.proposals import (
    order_receive,
    proposal_create,
    proposal_transition,
    proposal_version_build,
)
from dimos.schools.services.repairs import repair_report, repair_update
from dimos.schools.services.schools import school_save, school_year_set

__all__ = [
    "StagedImport",
    "asset_create",
    "asset_lock",
    "asset_move",
    "asset_tags_allocate",
    "asset_transition",
    "asset_transition_locked",
    "import_abandoned_purge",
    "import_apply",
    "import_cleanup_run",
    "import_discard",
    "import_stage",
    "licence_assign",
    "licence_reminders_send",
    "loan_checkout",
    "loan_overdue_reminders_send",
    "loan_return",
    "order_receive",
    "proposal_create",
    "proposal_transition",
    "proposal_version_build",
    "repair_report",
    "repair_update",
    "school_save",
    "school_year_set",
]
