"""What each audit action code means, in words: the audit page shows and searches these labels.

One entry per code that ``audit_record`` writes. A code missing here is shown (and found) as
itself, so a new action never breaks the page; ``core/tests/test_audit_search.py`` checks that
every code written in the source has its label.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AUDIT_ACTION_LABELS: dict[str, Promise] = {
    # Accounts
    "accounts.email_verified": _("Επιβεβαίωση e-mail"),
    "accounts.login": _("Σύνδεση"),
    "accounts.login_failed": _("Αποτυχημένη σύνδεση"),
    "accounts.logout": _("Αποσύνδεση"),
    "accounts.phone_verified": _("Επιβεβαίωση τηλεφώνου"),
    "accounts.role_changed": _("Αλλαγή ρόλου"),
    "accounts.totp_enrolled": _("Ενεργοποίηση δεύτερου παράγοντα"),
    "accounts.totp_enrolment_code_issued": _("Έκδοση κωδικού ενεργοποίησης δεύτερου παράγοντα"),
    "accounts.user_created": _("Δημιουργία χρήστη"),
    # Appointments
    "appointments.book": _("Κράτηση ραντεβού"),
    "appointments.cancel": _("Ακύρωση ραντεβού"),
    "appointments.day_list_viewed": _("Προβολή λίστας ραντεβού ημέρας"),
    "appointments.mark": _("Σημείωση ραντεβού (προσήλθε / δεν προσήλθε)"),
    "appointments.reschedule": _("Αλλαγή ώρας ραντεβού"),
    # Municipality
    "municipality.bootstrap": _("Αρχική ρύθμιση δήμου"),
    "municipality.bootstrap_again": _("Επανάληψη αρχικής ρύθμισης δήμου"),
    "municipality.kits_apply": _("Εφαρμογή πακέτων περιεχομένου"),
    # Reports
    "reports.assigned": _("Ανάθεση αναφοράς"),
    "reports.contact_read": _("Προβολή στοιχείων επικοινωνίας πολίτη (αναφορά)"),
    "reports.created": _("Νέα αναφορά προβλήματος"),
    "reports.email_confirmed": _("Επιβεβαίωση αναφοράς μέσω e-mail"),
    "reports.merged": _("Συγχώνευση διπλής αναφοράς"),
    "reports.photo_added": _("Προσθήκη φωτογραφίας αναφοράς"),
    "reports.photo_published": _("Δημοσίευση φωτογραφίας αναφοράς"),
    "reports.priority": _("Αλλαγή προτεραιότητας αναφοράς"),
    "reports.public_text_edited": _("Επεξεργασία δημόσιου κειμένου αναφοράς"),
    "reports.transition": _("Αλλαγή κατάστασης αναφοράς"),
    # Schools
    "schools.asset_created": _("Καταχώριση παγίου"),
    "schools.asset_moved": _("Μεταφορά παγίου"),
    "schools.asset_status": _("Αλλαγή κατάστασης παγίου"),
    "schools.assets_imported": _("Εισαγωγή παγίων από αρχείο"),
    "schools.licence_assigned": _("Ανάθεση άδειας λογισμικού"),
    "schools.loan_agreement_viewed": _("Προβολή συμφωνητικού δανεισμού"),
    "schools.loan_checkout": _("Δανεισμός εξοπλισμού"),
    "schools.loan_returned": _("Επιστροφή δανεισμένου εξοπλισμού"),
    "schools.proposal_created": _("Νέα πρόταση προμήθειας"),
    "schools.proposal_status": _("Αλλαγή κατάστασης πρότασης προμήθειας"),
    "schools.proposal_version": _("Νέα έκδοση πρότασης προμήθειας"),
    "schools.repair_reported": _("Δήλωση βλάβης εξοπλισμού"),
    "schools.repair_updated": _("Ενημέρωση επισκευής"),
    "schools.school_created": _("Καταχώριση σχολείου"),
    "schools.school_year_set": _("Στοιχεία σχολικού έτους"),
    # Sensors
    "sensors.alarm_transition": _("Αλλαγή κατάστασης συναγερμού"),
    "sensors.credential_created": _("Έκδοση κλειδιού συσκευών"),
    "sensors.credential_revoked": _("Ανάκληση κλειδιού συσκευών"),
    "sensors.device_created": _("Καταχώριση συσκευής"),
    "sensors.device_deleted": _("Διαγραφή συσκευής"),
    "sensors.device_reactivated": _("Επανενεργοποίηση συσκευής"),
    "sensors.device_updated": _("Ενημέρωση συσκευής"),
    "sensors.rule_created": _("Νέος κανόνας συναγερμού"),
    # E-services
    "services.application_assigned": _("Χρέωση αίτησης σε υπάλληλο"),
    "services.application_forwarded": _("Διαβίβαση αίτησης"),
    "services.application_submitted": _("Υποβολή αίτησης"),
    "services.application_transition": _("Αλλαγή κατάστασης αίτησης"),
    "services.attachment_viewed": _("Προβολή συνημμένου αίτησης"),
    "services.citizen_contact_read": _("Προβολή στοιχείων πολίτη (αίτηση)"),
    "services.document_issued": _("Έκδοση εγγράφου"),
    "services.document_revoked": _("Ανάκληση εγγράφου"),
    "services.protocol_registered": _("Πρωτοκόλληση"),
    "services.protocol_voided": _("Ακύρωση πρωτοκόλλου"),
    "services.queue_viewed": _("Προβολή ουράς αιτήσεων"),
}


def audit_action_label(code: str) -> str:
    """The translated label of an action code (the code itself when it has none)."""
    label = AUDIT_ACTION_LABELS.get(code)
    return str(label) if label is not None else code
