"""Forms of the reports pages; the services do the real checking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dimos.core.exceptions import ApplicationError
from dimos.core.forms import AccessibleForm
from dimos.reports.constants import MAX_DESCRIPTION, Priority, ReportStatus


class ReportForm(AccessibleForm):
    """The citizen's report; the intake service checks the place, the answers and the photos.

    ``section_errors`` holds the service's errors that belong to a part of the page
    rather than to a field (the place, the category's questions, the photos), so
    the page shows each one beside its part.
    """

    SECTION_OF = {"lat": "location", "long": "location", "location": "location", "photos": "photos"}

    lat = forms.FloatField(
        label=_("Γεωγραφικό πλάτος"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    lon = forms.FloatField(
        label=_("Γεωγραφικό μήκος"), required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    address = forms.CharField(
        label=_("Διεύθυνση"),
        required=False,
        max_length=200,
        help_text=_("Γράψτε την οδό (π.χ. Μεραρχίας 12) αν δεν θέλετε να δείξετε το σημείο στον χάρτη."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    category = forms.CharField(
        label=_("Κατηγορία"), max_length=60, error_messages={"required": _("Επιλέξτε κατηγορία.")}
    )
    description = forms.CharField(
        label=_("Περιγραφή"),
        max_length=MAX_DESCRIPTION,
        help_text=_("Τι συμβαίνει και πού ακριβώς; Έως 4.000 χαρακτήρες, χωρίς HTML."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Περιγράψτε το πρόβλημα.")},
    )
    name = forms.CharField(label=_("Ονοματεπώνυμο"), required=False, max_length=150)
    show_name = forms.BooleanField(
        label=_("Να εμφανίζεται δημόσια το όνομά μου στην αναφορά"),
        required=False,
        help_text=_("Αλλιώς η αναφορά δημοσιεύεται χωρίς όνομα."),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Ιδιωτικό: μόνο για επιβεβαίωση και ενημερώσεις. Δεν δημοσιεύεται ποτέ."),
    )
    phone = forms.CharField(
        label=_("Τηλέφωνο"),
        required=False,
        max_length=30,
        help_text=_("Ιδιωτικό: μόνο αν χρειαστεί να σας καλέσει η υπηρεσία."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.section_errors: dict[str, str] = {}
        # The chosen category's questions with a problem, by question code (shown at each question).
        self.question_errors: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    def add_service_errors(self, exc: ApplicationError) -> None:
        """Put each error of ``exc`` on its field, beside its section, or at the end of the form."""
        for key, messages in (exc.errors or {exc.field or "__all__": [exc.message]}).items():
            target = self.SECTION_OF.get(key, key)
            if target in self.fields:
                self.add_error(target, messages)
            elif key.startswith("attribute["):
                self.question_errors[key.removeprefix("attribute[").removesuffix("]")] = " ".join(
                    str(m) for m in messages
                )
            else:
                section = target if target in ("location", "photos") else "form"
                self.section_errors[section] = " ".join(messages)

    def clean_phone(self) -> str:
        import re

        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not re.fullmatch(r"\+?[0-9 ()-]{6,20}", phone):
            raise forms.ValidationError(_("Δώστε έγκυρο αριθμό τηλεφώνου."))
        return phone


class FeedbackForm(AccessibleForm):
    """The reporter's answer to "was it fixed?" on the tracking page."""

    fixed = forms.ChoiceField(
        choices=[("yes", _("Ναι")), ("no", _("Όχι"))],
        error_messages={
            "required": _("Επιλέξτε «Ναι» ή «Όχι»."),
            "invalid_choice": _("Επιλέξτε «Ναι» ή «Όχι»."),
        },
    )
    comment = forms.CharField(required=False, max_length=MAX_DESCRIPTION)


class SupportForm(AccessibleForm):
    email = forms.EmailField(label=_("E-mail για ενημερώσεις"), required=False)


class TransitionForm(AccessibleForm):
    status = forms.ChoiceField(label=_("Νέα κατάσταση"), choices=())
    comment = forms.CharField(
        label=_("Μήνυμα"),
        required=False,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public = forms.BooleanField(
        label=_("Δημόσια ενημέρωση (ειδοποιούνται οι πολίτες)"), required=False, initial=True
    )

    def __init__(self, *args: Any, allowed: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, ReportStatus(s).label) for s in (allowed or [])]
        # The accessible mixin validated in __init__ (to wire aria attributes) before the
        # choices were known: validate again with them.
        self._errors = None
        self._wire_aria()


class CommentForm(AccessibleForm):
    text = forms.CharField(
        label=_("Κείμενο"), max_length=MAX_DESCRIPTION, widget=forms.Textarea(attrs={"rows": 3})
    )
    public = forms.BooleanField(label=_("Δημόσια ενημέρωση (αλλιώς εσωτερική σημείωση)"), required=False)


class PriorityForm(AccessibleForm):
    priority = forms.TypedChoiceField(label=_("Προτεραιότητα"), choices=Priority.choices, coerce=int)


class MergeForm(AccessibleForm):
    into = forms.CharField(
        label=_("Διπλή της αναφοράς"),
        max_length=30,
        help_text=_("Ο αριθμός της αναφοράς που παραμένει, π.χ. SER-123."),
    )

    def clean_into(self) -> int:
        value = self.cleaned_data["into"].strip().upper().rsplit("-", 1)[-1]
        if not value.isdigit():
            raise forms.ValidationError(_("Δώστε αριθμό αναφοράς, π.χ. SER-123."))
        return int(value)


class KeyForm(AccessibleForm):
    name = forms.CharField(label=_("Όνομα εφαρμογής"), max_length=150)
    contact_email = forms.EmailField(label=_("E-mail επικοινωνίας"), required=False)


class PublicTextForm(AccessibleForm):
    """Moderation: the description and address as the public sees them."""

    public_description = forms.CharField(
        label=_("Δημόσια περιγραφή"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_DESCRIPTION,
    )
    public_address = forms.CharField(label=_("Δημόσιο σημείο"), required=False, max_length=250)
