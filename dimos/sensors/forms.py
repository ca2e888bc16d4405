from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dimos.core.forms import AccessibleForm, AccessibleModelForm
from dimos.core.models import Department, MunicipalUnit
from dimos.sensors import schemas
from dimos.sensors.actions import alarm_actions
from dimos.sensors.constants import AlarmStatus, CredentialScope
from dimos.sensors.models import Device, DeviceType, Rule, VendorMapping


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
        self.fields["actions"].choices = alarm_actions.choices()
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
        help_text=_("Κενό: το διαπιστευτήριο αφορά όλες τις συσκευές του δήμου."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Δικαιώματα"),
        choices=CredentialScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[CredentialScope.READ, CredentialScope.WRITE_DEVICE],
        help_text=_(
            "Δώστε μόνο ό,τι χρειάζεται η ενσωμάτωση. Ένας αισθητήρας: η συσκευή του και "
            "«μετρήσεις μόνο της συσκευής του»."
        ),
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = Device.objects.filter(municipality=municipality)
        self._errors = None  # re-validate against the scoped choices
        self._wire_aria()


class DeviceForm(AccessibleForm):
    """The operator's device registry form; the service checks everything again."""

    type = forms.ChoiceField(label=_("Τύπος συσκευής"), choices=())
    name = forms.CharField(label=_("Ονομασία"), max_length=200, required=False)
    ngsi_id = forms.CharField(
        label=_("Αναγνωριστικό NGSI-LD"),
        max_length=200,
        help_text=_("Μορφή urn:ngsi-ld:<Τύπος>:<κωδικός>, π.χ. urn:ngsi-ld:WasteContainer:serres-bin-042."),
    )
    lat = forms.FloatField(
        label=_("Γεωγραφικό πλάτος"),
        required=False,
        help_text=_("Δεκαδικές μοίρες WGS84, π.χ. 41.0905. Ή κάντε κλικ στον χάρτη."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    lon = forms.FloatField(
        label=_("Γεωγραφικό μήκος"),
        required=False,
        help_text=_("Δεκαδικές μοίρες WGS84, π.χ. 23.5495."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    department = forms.ModelChoiceField(
        label=_("Υπεύθυνη υπηρεσία"), queryset=Department.objects.none(), required=False
    )
    ttn_device_id = forms.CharField(label=_("Αναγνωριστικό συσκευής στο TTN"), max_length=100, required=False)
    dev_eui = forms.CharField(
        label=_("DevEUI"),
        max_length=40,
        required=False,
        help_text=_("16 δεκαεξαδικά ψηφία, π.χ. 70B3D57ED0000042."),
    )
    mapping = forms.ModelChoiceField(
        label=_("Αντιστοίχιση προμηθευτή (TTN application)"),
        queryset=VendorMapping.objects.none(),
        required=False,
        help_text=_("Πώς μεταφράζονται τα πεδία του προμηθευτή στα χαρακτηριστικά του τύπου."),
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "—")] + [
            (t.code, f"{t.name} ({t.code})") for t in DeviceType.objects.filter(code__in=schemas.TYPES)
        ]
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
        self.fields["mapping"].queryset = VendorMapping.objects.filter(
            municipality=municipality
        ).select_related("type")
        self.fields["mapping"].label_from_instance = lambda m: (
            f"{m.application_id} · {m.vendor or '—'} · {m.type.code}"
        )
        self._errors = None  # re-validate against the scoped choices
        self._wire_aria()

    def clean_dev_eui(self) -> str:
        """Checked here too, so that every field at fault is shown at once."""
        from dimos.core.exceptions import ValidationFailed
        from dimos.sensors.services import dev_eui_normalize

        try:
            return dev_eui_normalize(self.cleaned_data.get("dev_eui") or "")
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc

    @classmethod
    def initial_for(cls, device: Device) -> dict[str, Any]:
        mapping = (
            VendorMapping.objects.filter(municipality_id=device.municipality_id, type_id=device.type_id)
            .filter(Q(vendor=device.vendor) | Q(application_id=device.vendor))
            .first()
            if device.vendor
            else None
        )
        return {
            "type": device.type.code,
            "name": device.name,
            "ngsi_id": device.ngsi_id,
            "lat": device.lat,
            "lon": device.lon,
            "department": device.department_id,
            "ttn_device_id": device.ttn_device_id,
            "dev_eui": device.dev_eui,
            "mapping": mapping.pk if mapping else None,
        }


class DeviceFilterForm(forms.Form):
    q = forms.CharField(label=_("Αναζήτηση"), required=False, help_text=_("Όνομα, NGSI-LD id ή DevEUI"))
    type = forms.ChoiceField(label=_("Τύπος"), required=False, choices=())
    status = forms.ChoiceField(
        label=_("Κατάσταση"),
        required=False,
        choices=[
            ("", _("Όλες")),
            ("online", _("Σε λειτουργία")),
            ("offline", _("Εκτός σύνδεσης")),
            ("inactive", _("Απενεργοποιημένες")),
        ],
    )
    unit = forms.ModelChoiceField(
        label=_("Δημοτική ενότητα"),
        queryset=MunicipalUnit.objects.none(),
        required=False,
        empty_label=_("Όλες"),
    )

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Όλοι"))] + [
            (t.code, t.name) for t in DeviceType.objects.filter(code__in=schemas.TYPES)
        ]
        self.fields["unit"].queryset = MunicipalUnit.objects.filter(municipality=municipality)
