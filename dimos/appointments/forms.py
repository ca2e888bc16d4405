from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.appointments.constants import STAFF_MARKS, AppointmentStatus
from dimos.appointments.models import Counter, ServicePoint
from dimos.core.forms import AccessibleForm
from dimos.core.models import Municipality


def parse_start(value: str) -> dt.datetime:
    """An ISO 8601 date-time with its offset (as the slot lists give it)."""
    try:
        parsed = dt.datetime.fromisoformat((value or "").strip().replace(" ", "+"))
    except ValueError as exc:
        raise forms.ValidationError(_("Μη έγκυρη ώρα ραντεβού. Διαλέξτε μια ώρα από τη λίστα.")) from exc
    if timezone.is_naive(parsed):
        raise forms.ValidationError(_("Μη έγκυρη ώρα ραντεβού. Διαλέξτε μια ώρα από τη λίστα."))
    return parsed


class SlotChoiceForm(AccessibleForm):
    start = forms.CharField(widget=forms.HiddenInput, error_messages={"required": _("Διαλέξτε ώρα.")})

    def clean_start(self) -> dt.datetime:
        return parse_start(self.cleaned_data["start"])


class StaffMarkForm(AccessibleForm):
    status = forms.ChoiceField(label=_("Σήμανση"), choices=[(s.value, s.label) for s in STAFF_MARKS])
    comment = forms.CharField(label=_("Σχόλιο"), required=False, max_length=300)


class StaffCancelForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Αιτία ακύρωσης"),
        max_length=300,
        help_text=_("Τη βλέπει ο πολίτης στο e-mail ακύρωσης."),
        error_messages={"required": _("Γράψτε την αιτία: ο πολίτης τη λαμβάνει με e-mail.")},
    )


class DayListFilterForm(AccessibleForm):
    point = forms.ModelChoiceField(label=_("Σημείο"), queryset=ServicePoint.objects.none(), required=False)
    counter = forms.ModelChoiceField(
        label=_("Γκισέ"), queryset=Counter.objects.none(), required=False, empty_label=_("Όλα")
    )
    date = forms.DateField(
        label=_("Ημερομηνία"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = ServicePoint.objects.filter(municipality=municipality)
        self.fields["point"].empty_label = None
        self.fields["counter"].queryset = Counter.objects.filter(municipality=municipality).select_related(
            "point"
        )
        # AccessibleForm's __init__ already validated a bound form (to wire
        # aria-invalid) against the empty querysets: validate again.
        self._errors = None


STATUS_BADGE = {
    AppointmentStatus.BOOKED: "badge-info",
    AppointmentStatus.SERVED: "badge-ok",
    AppointmentStatus.NO_SHOW: "badge-warn",
    AppointmentStatus.CANCELLED: "badge-bad",
}
