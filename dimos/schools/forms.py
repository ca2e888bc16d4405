"""Forms: accessible, Greek labels; services do the real checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dimos.core.constants import StaffRole
from dimos.core.forms import AccessibleForm, AccessibleModelForm
from dimos.core.models import Municipality
from dimos.schools.constants import (
    BorrowerKind,
    Condition,
    PriorityRule,
    RepairStatus,
)
from dimos.schools.models import EquipmentCategory, EquipmentModel, Licence, School, Standard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _revalidate(form: Any) -> None:
    """AccessibleFormMixin.__init__ validates a bound form before a subclass narrows
    its querysets to the municipality; forget that result so it runs again."""
    form._errors = None
    form._wire_aria()


class SchoolForm(AccessibleModelForm):
    class Meta:
        model = School
        fields = ["name", "school_type", "address", "lat", "lon", "classrooms", "director", "is_active"]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["director"].queryset = get_user_model().objects.filter(
            municipality=municipality, role=StaffRole.SCHOOL_DIRECTOR, is_active=True
        )
        self.fields["lat"].widget.attrs["step"] = "any"
        self.fields["lon"].widget.attrs["step"] = "any"
        _revalidate(self)


class SchoolYearForm(AccessibleForm):
    year = forms.IntegerField(label=_("Σχολικό έτος (έτος έναρξης)"), min_value=2000, max_value=2100)
    pupils = forms.IntegerField(label=_("Μαθητές"), min_value=0, max_value=5000)
    teachers = forms.IntegerField(label=_("Εκπαιδευτικοί"), min_value=0, max_value=500)


class EquipmentModelForm(AccessibleModelForm):
    class Meta:
        model = EquipmentModel
        fields = ["category", "code", "manufacturer", "name", "unit_price", "expected_life_years"]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["category"].queryset = EquipmentCategory.objects.filter(municipality=municipality)
        _revalidate(self)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        qs = EquipmentModel.objects.filter(municipality=self.municipality, code=code)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise forms.ValidationError(_("Υπάρχει ήδη μοντέλο με αυτόν τον κωδικό."))
        return code


class StandardForm(AccessibleModelForm):
    class Meta:
        model = Standard
        fields = ["school_type", "category", "basis", "quantity", "per", "model"]

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = EquipmentCategory.objects.filter(municipality=municipality)
        self.fields["model"].queryset = EquipmentModel.objects.filter(municipality=municipality)
        _revalidate(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        model, category = data.get("model"), data.get("category")
        if model and category and model.category_id != category.pk:
            self.add_error("model", _("Το μοντέλο δεν ανήκει στην κατηγορία που επιλέξατε."))
        return data

    def validate_unique(self) -> None:  # the view updates the existing row of (type, category)
        pass


class AssetForm(AccessibleForm):
    model = forms.ModelChoiceField(label=_("Μοντέλο"), queryset=EquipmentModel.objects.none())
    serial = forms.CharField(label=_("Σειριακός αριθμός"), max_length=80)
    school = forms.ModelChoiceField(label=_("Σχολείο"), queryset=School.objects.none(), required=False)
    room = forms.CharField(label=_("Αίθουσα"), max_length=60, required=False)
    status = forms.ChoiceField(
        label=_("Κατάσταση"), choices=[("in_stock", _("Σε αποθήκη")), ("deployed", _("Σε χρήση"))]
    )
    purchase_date = forms.DateField(label=_("Ημερομηνία αγοράς"), required=False, widget=DATE)
    supplier = forms.CharField(label=_("Προμηθευτής"), max_length=150, required=False)
    order_ref = forms.CharField(label=_("Αριθμός παραγγελίας/σύμβασης"), max_length=60, required=False)
    cost = forms.DecimalField(
        label=_("Κόστος (€)"), min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False
    )
    warranty_end = forms.DateField(label=_("Λήξη εγγύησης"), required=False, widget=DATE)
    funding_source = forms.CharField(label=_("Πηγή χρηματοδότησης"), max_length=150, required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = EquipmentModel.objects.filter(municipality=municipality)
        self.fields["school"].queryset = School.objects.filter(municipality=municipality)
        _revalidate(self)


class AssetStatusForm(AccessibleForm):
    status = forms.ChoiceField(label=_("Νέα κατάσταση"), choices=())
    comment = forms.CharField(label=_("Σχόλιο"), max_length=500, required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices
        _revalidate(self)


class AssetMoveForm(AccessibleForm):
    school = forms.ModelChoiceField(label=_("Σχολείο"), queryset=School.objects.none(), required=False)
    room = forms.CharField(label=_("Αίθουσα"), max_length=60, required=False)
    comment = forms.CharField(label=_("Σχόλιο"), max_length=500, required=False)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(municipality=municipality)
        _revalidate(self)


class LicenceForm(AccessibleModelForm):
    class Meta:
        model = Licence
        fields = ["product", "vendor", "seats", "valid_until", "cost", "funding_source"]
        widgets = {"valid_until": DATE}


class LicenceSeatForm(AccessibleForm):
    school = forms.ModelChoiceField(label=_("Σχολείο"), queryset=School.objects.none())
    seats = forms.IntegerField(label=_("Θέσεις (0 = αφαίρεση)"), min_value=0)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(municipality=municipality)
        _revalidate(self)


class ProposalForm(AccessibleForm):
    title = forms.CharField(label=_("Τίτλος"), max_length=200)
    funding_programme = forms.CharField(label=_("Πρόγραμμα χρηματοδότησης"), max_length=200, required=False)


class ProposalVersionForm(AccessibleForm):
    budget_cap = forms.DecimalField(
        label=_("Προϋπολογισμός (€)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Το ανώτατο ποσό της πρότασης· 0 ή περισσότερο."),
    )
    rule = forms.ChoiceField(label=_("Κανόνας προτεραιότητας"), choices=PriorityRule.choices)
    note = forms.CharField(label=_("Σημείωση έκδοσης"), max_length=300, required=False)

    def clean_budget_cap(self) -> Decimal:
        value = self.cleaned_data["budget_cap"]
        if value < 0:
            raise forms.ValidationError(_("Ο προϋπολογισμός δεν μπορεί να είναι αρνητικός."))
        return value


class ReceiveForm(AccessibleForm):
    serials = forms.CharField(
        label=_("Σειριακοί αριθμοί (ένας ανά γραμμή)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    supplier = forms.CharField(label=_("Προμηθευτής"), max_length=150, required=False)
    delivered_on = forms.DateField(label=_("Ημερομηνία παράδοσης"), required=False, widget=DATE)


class ImportUploadForm(AccessibleForm):
    file = forms.FileField(label=_("Αρχείο CSV ή XLSX"))


class LoanForm(AccessibleForm):
    borrower_kind = forms.ChoiceField(
        label=_("Δανειζόμενος"), choices=BorrowerKind.choices, widget=forms.RadioSelect
    )
    borrower_name = forms.CharField(label=_("Ονοματεπώνυμο δανειζόμενου"), max_length=150)
    pupil_class = forms.CharField(label=_("Τάξη/τμήμα (για μαθητή)"), max_length=20, required=False)
    guardian_name = forms.CharField(
        label=_("Ονοματεπώνυμο κηδεμόνα (για μαθητή)"), max_length=150, required=False
    )
    guardian_consent = forms.BooleanField(
        label=_("Ο κηδεμόνας έδωσε έγγραφη συγκατάθεση (για μαθητή)"), required=False
    )
    due_date = forms.DateField(label=_("Αναμενόμενη επιστροφή"), widget=DATE)


class LoanReturnForm(AccessibleForm):
    condition = forms.ChoiceField(label=_("Κατάσταση κατά την επιστροφή"), choices=Condition.choices)
    notes = forms.CharField(
        label=_("Σημειώσεις κατάστασης"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RepairReportForm(AccessibleForm):
    description = forms.CharField(
        label=_("Περιγραφή βλάβης"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = forms.FileField(
        label=_("Φωτογραφία (προαιρετικά)"), required=False, help_text=_("JPEG, PNG ή WebP, έως 8 MB.")
    )


class RepairUpdateForm(AccessibleForm):
    status = forms.ChoiceField(label=_("Κατάσταση"), choices=RepairStatus.choices)
    supplier = forms.CharField(label=_("Προμηθευτής/συνεργείο"), max_length=150, required=False)
    cost = forms.DecimalField(
        label=_("Κόστος (€)"), min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False
    )
    under_warranty = forms.BooleanField(label=_("Εντός εγγύησης"), required=False)
    comment = forms.CharField(label=_("Σχόλιο"), max_length=500, required=False)


class AuditForm(AccessibleForm):
    tags = forms.CharField(
        label=_("Ετικέτες που σαρώθηκαν ή πληκτρολογήθηκαν (μία ανά γραμμή)"),
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
    )
