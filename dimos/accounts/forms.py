"""Sign-in and verification forms (Greek messages at the field)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.accounts.services import normalize_mobile
from dimos.core.forms import AccessibleForm
from dimos.core.greek import validate_afm


class StaffLoginForm(AccessibleForm):
    username = forms.CharField(
        label=_("Όνομα χρήστη"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": _("Συμπληρώστε το όνομα χρήστη.")},
    )
    password = forms.CharField(
        label=_("Κωδικός πρόσβασης"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Συμπληρώστε τον κωδικό πρόσβασης.")},
    )


class EnrolmentCodeForm(AccessibleForm):
    enrolment_code = forms.CharField(
        label=_("Κωδικός ενεργοποίησης"),
        help_text=_(
            "Τον κωδικό (π.χ. ABCD-EFGH-JKMN) σας τον δίνει ο διαχειριστής του δήμου. "
            "Χρησιμοποιείται μία φορά, για να συνδέσετε την εφαρμογή επαλήθευσης."
        ),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": _("Συμπληρώστε τον κωδικό ενεργοποίησης.")},
    )


class TOTPForm(AccessibleForm):
    code = forms.CharField(
        label=_("Κωδικός επαλήθευσης (6 ψηφία)"),
        help_text=_("Ο εξαψήφιος κωδικός που δείχνει τώρα η εφαρμογή επαλήθευσης στο κινητό σας."),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
        error_messages={"required": _("Συμπληρώστε τον κωδικό επαλήθευσης.")},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("Ο κωδικός επαλήθευσης έχει ακριβώς 6 ψηφία."))
        return code


class EmailForm(AccessibleForm):
    email = forms.EmailField(
        label=_("Διεύθυνση e-mail"),
        help_text=_(
            "Θα σας στείλουμε σύνδεσμο επαλήθευσης. Εκεί θα λαμβάνετε ενημερώσεις για τα αιτήματά σας."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Συμπληρώστε τη διεύθυνση e-mail σας."),
            "invalid": _("Η διεύθυνση e-mail δεν είναι έγκυρη (παράδειγμα: onoma@example.gr)."),
        },
    )


class PhoneForm(AccessibleForm):
    phone = forms.CharField(
        label=_("Κινητό τηλέφωνο"),
        help_text=_("Ελληνικό κινητό, 10 ψηφία που αρχίζουν από 69 (π.χ. 6912345678)."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Συμπληρώστε τον αριθμό του κινητού σας.")},
    )

    def clean_phone(self) -> str:
        phone = normalize_mobile(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(
                _("Ο αριθμός δεν είναι ελληνικό κινητό: 10 ψηφία που αρχίζουν από 69 (π.χ. 6912345678).")
            )
        return phone


class PhoneCodeForm(AccessibleForm):
    code = forms.CharField(
        label=_("Κωδικός από το SMS"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Συμπληρώστε τον κωδικό που λάβατε με SMS.")},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("Ο κωδικός έχει ακριβώς 6 ψηφία."))
        return code


class DevIdentityForm(AccessibleForm):
    """The demo stand-in's «type a fictional person» form."""

    afm = forms.CharField(
        label=_("ΑΦΜ"),
        max_length=9,
        help_text=_("9 ψηφία με έγκυρο ψηφίο ελέγχου (φανταστικός, π.χ. 090000045)."),
        validators=[validate_afm],
        error_messages={"required": _("Συμπληρώστε τον ΑΦΜ.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    first_name = forms.CharField(
        label=_("Όνομα"), max_length=150, error_messages={"required": _("Συμπληρώστε το όνομα.")}
    )
    last_name = forms.CharField(
        label=_("Επώνυμο"), max_length=150, error_messages={"required": _("Συμπληρώστε το επώνυμο.")}
    )
    father_name = forms.CharField(label=_("Πατρώνυμο"), max_length=100, required=False)
    mother_name = forms.CharField(label=_("Μητρώνυμο"), max_length=100, required=False)
    birth_year = forms.IntegerField(
        label=_("Έτος γέννησης"),
        required=False,
        error_messages={"invalid": _("Το έτος γέννησης είναι αριθμός, π.χ. 1980.")},
    )

    def clean_afm(self) -> str:
        return self.cleaned_data["afm"].strip()

    def clean_birth_year(self) -> Any:
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= timezone.now().year:
            raise forms.ValidationError(_("Το έτος γέννησης πρέπει να είναι από 1900 έως σήμερα."))
        return year
