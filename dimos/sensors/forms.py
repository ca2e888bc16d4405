from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dimos.core.forms import AccessibleForm, AccessibleModelForm
from dimos.core.models import Department
from dimos.sensors.actions import ACTIONS
from dimos.sensors.constants import Action, AlarmStatus
from dimos.sensors.models import Device, Rule


class RuleForm(AccessibleModelForm):
    actions = forms.MultipleChoiceField(
        label=_("Ενέργειες"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    status_values = forms.CharField(
        label=_("Τιμές κατάστασης"),
        required=False,
        help_text=_("Χωρισμένες με κόμμα, π.χ. defectiveLamp, brokenLantern."),
    )

    class Meta:
        model = Rule
        fields = [
            "type",
            "name",
            "kind",
            "attribute",
            "direction",
            "threshold",
            "clear_threshold",
            "status_values",
            "silent_hours",
            "actions",
            "department",
            "report_category",
            "is_active",
        ]

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
        self.fields["actions"].choices = [(a.value, a.label) for a in Action if a.value in ACTIONS]
        if self.instance.pk:
            self.initial["status_values"] = ", ".join(self.instance.status_values)
        self._errors = None  # re-validate against the scoped choices
        self._wire_aria()

    def clean_status_values(self) -> list[str]:
        raw = self.cleaned_data.get("status_values") or ""
        return [v.strip() for v in raw.split(",") if v.strip()]


class AlarmTransitionForm(AccessibleForm):
    status = forms.ChoiceField(
        label=_("Νέα κατάσταση"),
        choices=[
            (AlarmStatus.ACKNOWLEDGED, AlarmStatus.ACKNOWLEDGED.label),
            (AlarmStatus.RESOLVED, AlarmStatus.RESOLVED.label),
        ],
    )
    assignee = forms.ModelChoiceField(
        label=_("Ανάθεση σε"), queryset=get_user_model().objects.none(), required=False
    )
    comment = forms.CharField(label=_("Σχόλιο"), required=False, max_length=500, widget=forms.Textarea)

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model().objects.filter(municipality=municipality, is_active=True).exclude(role="")
        )
        self._errors = None  # the accessible-form mixin validated before the choices were scoped
        self._wire_aria()


class CredentialForm(AccessibleForm):
    name = forms.CharField(label=_("Ονομασία"), max_length=120)
    vendor = forms.CharField(label=_("Προμηθευτής"), max_length=100, required=False)
    device = forms.ModelChoiceField(
        label=_("Μόνο για τη συσκευή"),
        queryset=Device.objects.none(),
        required=False,
        help_text=_("Κενό: το διαπιστευτήριο γράφει σε όλες τις συσκευές του δήμου."),
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = Device.objects.filter(municipality=municipality)
        self._errors = None  # re-validate against the scoped choices
        self._wire_aria()
