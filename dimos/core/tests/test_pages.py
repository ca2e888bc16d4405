from typing import Any

from django.core.management import call_command
from django.test import Client

from dimos.accounts.models import User
from dimos.core.models import AuditEvent, Department, Municipality, MunicipalUnit
from dimos.core.testing import SERRES_HOST, client_for


def test_audit_page_is_for_administrators_and_heads(alice_client: Client, bob: Any, serres: Any) -> None:
    AuditEvent.objects.create(
        municipality=serres, action="application.approve", object_type="services.application"
    )
    assert alice_client.get("/staff/audit/").status_code == 403  # a clerk: the Greek page that says so
    page = client_for(bob, SERRES_HOST).get("/staff/audit/")
    assert page.status_code == 200
    assert "Έγκριση αίτησης" in page.content.decode()  # the label, not «application.approve»
    assert ">application.approve<" not in page.content.decode()


def test_audit_page_filters_and_paginates(bob: Any, serres: Any) -> None:
    AuditEvent.objects.bulk_create(
        [AuditEvent(municipality=serres, action=f"report.update.{i}") for i in range(120)]
        + [AuditEvent(municipality=serres, action="login.success")]
    )
    client = client_for(bob, SERRES_HOST)
    first = client.get("/staff/audit/?action=report.").content.decode()
    assert "Σελίδα 1" in first and "page=2" in first and "login.success" not in first
    assert first.count("<tr><td>") == 50
    third = client.get("/staff/audit/?action=report.&page=3").content.decode()
    assert third.count("<tr><td>") == 20 and "page=4" not in third and "page=2" in third
    past = client.get("/staff/audit/?page=99")
    assert past.status_code == 200 and "Δεν υπάρχουν συμβάντα" in past.content.decode()
    assert client.get("/staff/audit/?page=abc").status_code == 200  # garbage: the first page
    # Events without an actor are the system's, never "None None".
    assert "None" not in first and "σύστημα" in first


def test_staff_home_shows_the_users_department(alice_client: Client) -> None:
    html = alice_client.get("/staff/").content.decode()
    assert "Τμήμα Δημοτολογίου" in html


def test_home_page_lists_what_one_can_do(anon_client: Client) -> None:
    html = anon_client.get("/").content.decode()
    assert "Τι μπορείτε να κάνετε εδώ" in html
    assert "Δήλωση προσβασιμότητας" in html and "Πολιτική απορρήτου" in html


def test_demo_data_is_idempotent(db: Any) -> None:
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (
        Municipality.objects.count(),
        MunicipalUnit.objects.count(),
        Department.objects.count(),
        User.objects.count(),
    )
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    again = (
        Municipality.objects.count(),
        MunicipalUnit.objects.count(),
        Department.objects.count(),
        User.objects.count(),
    )
    assert counts == again
    assert counts[0] == 2 and MunicipalUnit.objects.filter(municipality__slug="serres").count() == 6


def test_demo_units_contain_their_seats(db: Any) -> None:
    from dimos.core.geo import unit_at

    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    serres = Municipality.objects.get(slug="serres")
    for unit in MunicipalUnit.objects.filter(municipality=serres):
        assert unit_at(serres, unit.seat_lat, unit.seat_lon) == unit
    # Πλατεία Ελευθερίας is in the unit of Σερρών.
    assert unit_at(serres, 41.0857, 23.5480).name_el == "Σερρών"


def test_accessible_forms_validate_only_when_asked(serres: Any) -> None:
    from django import forms

    from dimos.core.forms import AccessibleForm

    class UnitForm(AccessibleForm):
        unit = forms.ModelChoiceField(queryset=MunicipalUnit.objects.none(), help_text="Η ενότητα")

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["unit"].queryset = MunicipalUnit.objects.filter(municipality=serres)

    unit = MunicipalUnit.objects.get(municipality=serres)
    form = UnitForm(data={"unit": unit.pk})
    assert form.is_valid(), form.errors  # the queryset set after super().__init__ counts
    bad = UnitForm(data={"unit": 999_999})
    assert not bad.is_valid()
    html = str(bad["unit"])
    assert 'aria-invalid="true"' in html and "unit_error" in html and "unit_help" in html


def test_every_page_names_its_icon(anon_client: Any) -> None:
    page = anon_client.get("/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in page
