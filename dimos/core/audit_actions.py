"""The one registry of audit action labels: what each ``AuditEvent.action`` code means.

Codes stay in the database (stable, searchable by machines); people read the label
(«Ανάθεση άδειας λογισμικού», never ``schools.licence_assigned``) on the audit
page, in exports and in search. Every code written by ``audit_record`` has a line
here; ``dimos/core/tests/test_audit_actions.py`` walks the source to keep it so.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS: dict[str, Any] = {
    # Accounts and sign-in
    "accounts.login": _("Σύνδεση"),
    "accounts.login_failed": _("Αποτυχημένη σύνδεση"),
    "accounts.logout": _("Αποσύνδεση"),
    "accounts.email_verified": _("Επιβεβαίωση e-mail"),
    "accounts.phone_verified": _("Επιβεβαίωση κινητού"),
    "accounts.user_created": _("Δημιουργία χρήστη"),
    "accounts.user_changed": _("Αλλαγή στοιχείων χρήστη"),
    "accounts.role_changed": _("Αλλαγή ρόλου χρήστη"),
    "accounts.activation_changed": _("Ενεργοποίηση ή απενεργοποίηση χρήστη"),
    "accounts.totp_enrolled": _("Ενεργοποίηση κωδικών μίας χρήσης"),
    "accounts.totp_enrolment_code_issued": _("Έκδοση κωδικού ενεργοποίησης"),
    "login.success": _("Σύνδεση"),
    # Municipality
    "municipality.bootstrap": _("Αρχική ρύθμιση δήμου"),
    "municipality.bootstrap_again": _("Επανάληψη αρχικής ρύθμισης δήμου"),
    "municipality.kits_apply": _("Εφαρμογή πακέτων περιεχομένου"),
    "unit.rename": _("Μετονομασία δημοτικής ενότητας"),
    # Appointments
    "appointments.book": _("Κράτηση ραντεβού"),
    "appointments.cancel": _("Ακύρωση ραντεβού"),
    "appointments.reschedule": _("Αλλαγή ώρας ραντεβού"),
    "appointments.mark": _("Σήμανση ραντεβού"),
    "appointments.day_list_viewed": _("Προβολή ημερήσιας λίστας ραντεβού"),
    "appointments.walk_in": _("Ραντεβού χωρίς κράτηση στο γκισέ"),
    # Reports
    "reports.created": _("Νέα αναφορά"),
    "reports.email_confirmed": _("Επιβεβαίωση e-mail αναφοράς"),
    "reports.transition": _("Αλλαγή κατάστασης αναφοράς"),
    "reports.assigned": _("Ανάθεση αναφοράς"),
    "reports.priority": _("Αλλαγή προτεραιότητας αναφοράς"),
    "reports.merged": _("Συγχώνευση αναφορών"),
    "reports.photo_added": _("Προσθήκη φωτογραφίας σε αναφορά"),
    "reports.photo_published": _("Δημοσίευση φωτογραφίας αναφοράς"),
    "reports.public_text_edited": _("Διόρθωση δημόσιου κειμένου αναφοράς"),
    "reports.contact_read": _("Προβολή στοιχείων επικοινωνίας αναφέροντα"),
    # Electronic services and the protocol register
    "application.approve": _("Έγκριση αίτησης"),
    "services.application_submitted": _("Υποβολή αίτησης"),
    "services.application_transition": _("Αλλαγή κατάστασης αίτησης"),
    "services.application_assigned": _("Ανάθεση αίτησης"),
    "services.application_forwarded": _("Διαβίβαση αίτησης"),
    "services.attachment_viewed": _("Προβολή συνημμένου"),
    "services.citizen_contact_read": _("Προβολή στοιχείων επικοινωνίας πολίτη"),
    "services.document_issued": _("Έκδοση εγγράφου"),
    "services.document_revoked": _("Ανάκληση εγγράφου"),
    "services.protocol_registered": _("Καταχώριση στο πρωτόκολλο"),
    "services.protocol_voided": _("Ακύρωση αριθμού πρωτοκόλλου"),
    "services.queue_viewed": _("Προβολή ουράς αιτήσεων"),
    # Schools
    "schools.school_created": _("Νέο σχολείο"),
    "schools.school_year_set": _("Ορισμός σχολικού έτους"),
    "schools.asset_created": _("Νέο πάγιο"),
    "schools.asset_moved": _("Μετακίνηση παγίου"),
    "schools.asset_status": _("Αλλαγή κατάστασης παγίου"),
    "schools.assets_imported": _("Μαζική εισαγωγή παγίων"),
    "schools.licence_assigned": _("Ανάθεση άδειας λογισμικού"),
    "schools.loan_checkout": _("Δανεισμός εξοπλισμού"),
    "schools.loan_returned": _("Επιστροφή δανεισμένου εξοπλισμού"),
    "schools.loan_agreement_viewed": _("Προβολή συμφωνητικού δανεισμού"),
    "schools.repair_reported": _("Αναφορά βλάβης εξοπλισμού"),
    "schools.repair_updated": _("Ενημέρωση επισκευής"),
    "schools.proposal_created": _("Νέα πρόταση χρηματοδότησης"),
    "schools.proposal_version": _("Νέα έκδοση πρότασης χρηματοδότησης"),
    "schools.proposal_status": _("Αλλαγή κατάστασης πρότασης χρηματοδότησης"),
    # Sensors
    "sensors.device_created": _("Νέα συσκευή"),
    "sensors.device_updated": _("Αλλαγή συσκευής"),
    "sensors.device_deleted": _("Διαγραφή συσκευής"),
    "sensors.device_reactivated": _("Επανενεργοποίηση συσκευής"),
    "sensors.rule_created": _("Νέος κανόνας συναγερμού"),
    "sensors.alarm_transition": _("Αλλαγή κατάστασης συναγερμού"),
    "sensors.credential_created": _("Νέο κλειδί πρόσβασης συσκευών"),
    "sensors.credential_revoked": _("Ανάκληση κλειδιού πρόσβασης συσκευών"),
}


def audit_action_label(code: str) -> str:
    """The label of an action code in the active language; the code only for one not listed."""
    label = AUDIT_ACTIONS.get(code)
    return str(label) if label is not None else code


def audit_action_choices() -> list[tuple[str, str]]:
    """(code, label) for every action, sorted by label: for filters and search."""
    return sorted(((code, str(label)) for code, label in AUDIT_ACTIONS.items()), key=lambda c: c[1])
