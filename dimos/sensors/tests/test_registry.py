"""The operator's device registry: list with filters and paging, create/edit forms with
Greek messages at the field for every bad input, deactivate/reactivate, delete only without readings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dimos.core.models import AuditEvent, Department
from dimos.sensors import services
from dimos.sensors.constants import Source
from dimos.sensors.models import Device, DeviceType, VendorMapping

pytestmark = pytest.mark.django_db
LIST = "/staff/sensors/devices/"
NEW = "/staff/sensors/devices/new/"


def form(**overrides: Any) -> dict[str, Any]:
    data = {
        "type": "WasteContainer",
        "name": "Κάδος Ερμού 5",
        "ngsi_id": "urn:ngsi-ld:WasteContainer:serres-bin-100",
        "lat": "41.0910",
        "lon": "23.5480",
        "department": "",
        "ttn_device_id": "bin-0100",
        "dev_eui": "70-b3-d5-7e-d0-00-01-00",
        "mapping": "",
    }
    data.update(overrides)
    return data


def field_error(response: Any, field: str) -> str:
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors
    assert field in errors, errors
    return " ".join(errors[field])


def ingest(device: Device, minutes_ago: int = 1) -> Any:
    return services.readings_ingest(
        municipality=device.municipality,
        items=[
            services.ReadingIn(
                device=device.ngsi_id,
                observed_at=timezone.now() - timedelta(minutes=minutes_ago),
                values={"fillingLevel": 0.4},
            )
        ],
        source=Source.HTTP,
    )


def test_create_device(operator_client: Any, serres: Any, serres_department: Department) -> None:
    response = operator_client.post(NEW, form(department=serres_department.pk))
    assert response.status_code == 302 and response["Location"] == LIST
    device = Device.objects.get(ngsi_id="urn:ngsi-ld:WasteContainer:serres-bin-100")
    assert device.municipality == serres and device.unit.name_el == "Σερρών"
    assert device.dev_eui == "70B3D57ED0000100" and device.ttn_device_id == "bin-0100"
    assert device.department == serres_department and device.is_active
    assert AuditEvent.objects.filter(action="sensors.device_created").count() == 1
    listing = operator_client.get(LIST).content.decode()
    assert "Κάδος Ερμού 5" in listing and "70B3D57ED0000100" in listing


def test_point_outside_every_unit_is_saved_without_unit(operator_client: Any) -> None:
    response = operator_client.post(NEW, form(lat="41.30", lon="23.45"), follow=True)
    assert "δεν ανήκει σε καμία δημοτική ενότητα" in response.content.decode()
    assert Device.objects.get().unit is None


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"ngsi_id": "serres-bin-100"}, "ngsi_id", "urn:ngsi-ld:WasteContainer:"),
        ({"ngsi_id": "urn:ngsi-ld:ParkingSpot:p-1"}, "ngsi_id", "urn:ngsi-ld:WasteContainer:"),
        ({"ngsi_id": "urn:ngsi-ld:WasteContainer:"}, "ngsi_id", "μορφή"),
        ({"dev_eui": "70B3D57ED00001"}, "dev_eui", "16 δεκαεξαδικά"),
        ({"dev_eui": "70B3D57ED00001ZZ"}, "dev_eui", "16 δεκαεξαδικά"),
        ({"lat": "40.50", "lon": "23.50"}, "lat", "έξω από τα όρια του δήμου"),
        ({"lat": "41.09", "lon": ""}, "lat", "και γεωγραφικό πλάτος και μήκος"),
        ({"lat": "95", "lon": "23.5"}, "lat", "-90 έως 90"),
        ({"lat": "βόρεια"}, "lat", ""),
        ({"ttn_device_id": "Bin 100!"}, "ttn_device_id", "πεζά λατινικά"),
        ({"type": "Spaceship"}, "type", ""),
        ({"ngsi_id": ""}, "ngsi_id", ""),
    ],
)
def test_bad_input_answers_at_the_field(
    operator_client: Any, overrides: dict[str, str], field: str, words: str
) -> None:
    message = field_error(operator_client.post(NEW, form(**overrides)), field)
    assert words in message
    assert not Device.objects.exists()


def test_duplicates_are_refused(operator_client: Any, bin_: Device) -> None:
    duplicate_id = operator_client.post(NEW, form(ngsi_id=bin_.ngsi_id))
    assert "Υπάρχει ήδη συσκευή" in field_error(duplicate_id, "ngsi_id")
    duplicate_eui = operator_client.post(NEW, form(dev_eui=bin_.dev_eui.lower()))
    assert "DevEUI" in field_error(duplicate_eui, "dev_eui")
    duplicate_ttn = operator_client.post(NEW, form(ttn_device_id=bin_.ttn_device_id))
    assert "αναγνωριστικό TTN" in field_error(duplicate_ttn, "ttn_device_id")
    assert Device.objects.count() == 1


def test_same_id_in_another_municipality_is_fine(operator_client: Any, irakleia: Any) -> None:
    services.device_create(
        municipality=irakleia, type_code="WasteContainer", ngsi_id="urn:ngsi-ld:WasteContainer:serres-bin-100"
    )
    assert operator_client.post(NEW, form()).status_code == 302


def test_department_of_another_municipality(operator_client: Any, irakleia: Any) -> None:
    theirs = Department.objects.create(municipality=irakleia, code="x", name_el="Ξένη", name_en="Foreign")
    message = field_error(operator_client.post(NEW, form(department=theirs.pk)), "department")
    assert message  # Django's "select a valid choice", in Greek
    assert not Device.objects.exists()
    with pytest.raises(Exception, match="δεν ανήκει"):
        services.device_register(
            municipality=Device._meta.get_field("municipality").related_model.objects.get(slug="serres"),
            actor=None,
            type_code="WasteContainer",
            ngsi_id="urn:ngsi-ld:WasteContainer:a",
            department=theirs,
        )


def test_vendor_mapping_must_match_type(operator_client: Any, serres: Any, irakleia: Any) -> None:
    parking = VendorMapping.objects.create(
        municipality=serres,
        application_id="parking-app",
        vendor="Acme",
        type=DeviceType.objects.get(code="ParkingSpot"),
    )
    bins = VendorMapping.objects.create(
        municipality=serres,
        application_id="bins-app",
        vendor="Binco",
        type=DeviceType.objects.get(code="WasteContainer"),
    )
    foreign = VendorMapping.objects.create(
        municipality=irakleia, application_id="their-app", type=DeviceType.objects.get(code="WasteContainer")
    )
    assert "άλλον τύπο" in field_error(operator_client.post(NEW, form(mapping=parking.pk)), "mapping")
    assert field_error(operator_client.post(NEW, form(mapping=foreign.pk)), "mapping")
    assert operator_client.post(NEW, form(mapping=bins.pk)).status_code == 302
    device = Device.objects.get()
    assert device.vendor == "Binco"
    edit = operator_client.get(reverse("sensors:device_edit", args=[device.pk]))
    assert edit.context["form"].initial["mapping"] == bins.pk


def test_edit_moves_unit_and_audits(operator_client: Any, bin_: Device) -> None:
    url = reverse("sensors:device_edit", args=[bin_.pk])
    page = operator_client.get(url)
    assert page.status_code == 200 and bin_.ngsi_id in page.content.decode()
    data = form(
        ngsi_id=bin_.ngsi_id, dev_eui=bin_.dev_eui, ttn_device_id=bin_.ttn_device_id, lat="41.30", lon="23.45"
    )
    assert operator_client.post(url, data).status_code == 302
    bin_.refresh_from_db()
    assert bin_.unit is None and bin_.lat == 41.30 and bin_.name == "Κάδος Ερμού 5"
    event = AuditEvent.objects.get(action="sensors.device_updated")
    assert event.old_values["lat"] == 41.0910 and event.new_values["lat"] == 41.30
    assert event.actor is not None


def test_type_of_a_device_with_readings_does_not_change(operator_client: Any, bin_: Device) -> None:
    ingest(bin_)
    url = reverse("sensors:device_edit", args=[bin_.pk])
    data = form(type="ParkingSpot", ngsi_id="urn:ngsi-ld:ParkingSpot:bin-42", dev_eui="", ttn_device_id="")
    assert "μετρήσεις" in field_error(operator_client.post(url, data), "type")


def test_deactivate_reactivate(operator_client: Any, bin_: Device) -> None:
    url = reverse("sensors:device_activation", args=[bin_.pk])
    assert operator_client.post(url, {"active": "0"}).status_code == 302
    bin_.refresh_from_db()
    assert not bin_.is_active
    outcome = ingest(bin_)
    assert outcome.created == 0 and "απενεργοποιημένη" in outcome.results[0].error
    inactive = operator_client.get(LIST, {"status": "inactive"}).content.decode()
    assert bin_.name in inactive
    assert operator_client.post(url, {"active": "1"}).status_code == 302
    assert ingest(bin_).created == 1
    actions = list(
        AuditEvent.objects.filter(action__startswith="sensors.device_").values_list("action", flat=True)
    )
    assert "sensors.device_deactivated" in actions and "sensors.device_reactivated" in actions
    assert operator_client.get(url).status_code == 405


def test_delete_only_without_readings(operator_client: Any, bin_: Device, spot: Device) -> None:
    ingest(bin_)
    response = operator_client.post(reverse("sensors:device_delete", args=[bin_.pk]), follow=True)
    assert "δεν διαγράφεται" in response.content.decode()
    assert Device.objects.filter(pk=bin_.pk).exists()
    assert operator_client.post(reverse("sensors:device_delete", args=[spot.pk])).status_code == 302
    assert not Device.objects.filter(pk=spot.pk).exists()


def test_list_filters_search_and_paging(
    operator_client: Any, serres: Any, bin_: Device, spot: Device, lamp: Device
) -> None:
    ingest(bin_)
    services.device_register(
        municipality=serres,
        actor=None,
        type_code="WasteContainer",
        ngsi_id="urn:ngsi-ld:WasteContainer:far",
        name="Κάδος Εξοχής",
        lat=41.30,
        lon=23.45,
    )

    def names(**params: Any) -> set[str]:
        response = operator_client.get(LIST, params)
        assert response.status_code == 200
        return {r.name for r in response.context["rows"]}

    assert names() == {"Κάδος 42", "Μεραρχίας 1", "Φωτιστικό 7", "Κάδος Εξοχής"}
    assert names(type="WasteContainer") == {"Κάδος 42", "Κάδος Εξοχής"}
    assert names(status="online") == {"Κάδος 42"}
    assert names(status="offline") == {"Μεραρχίας 1", "Φωτιστικό 7", "Κάδος Εξοχής"}
    unit = bin_.unit
    assert names(unit=unit.pk) == {"Κάδος 42", "Μεραρχίας 1", "Φωτιστικό 7"}
    assert names(q="Φωτιστ") == {"Φωτιστικό 7"}
    assert names(q="urn:ngsi-ld:ParkingSpot") == {"Μεραρχίας 1"}
    assert names(q="70:b3:d5:7e:d0:00:00:42") == {"Κάδος 42"}
    assert names(q="bin-0042") == {"Κάδος 42"}
    assert names(q="nothing-like-this") == set()
    # Bad filter values are ignored, never a 500.
    assert operator_client.get(LIST, {"status": "exploded", "unit": "x", "page": "zz"}).status_code == 200
    for n in range(30):
        services.device_create(municipality=serres, type_code="ParkingSpot", code=f"bulk-{n:02d}")
    first = operator_client.get(LIST, {"type": "ParkingSpot"})
    assert (
        len(first.context["rows"]) == 25
        and first.context["total"] == 31
        and "31 συσκευές" in first.content.decode()
    )
    second = operator_client.get(LIST, {"type": "ParkingSpot", "page": 2})
    assert len(second.context["rows"]) == 6
    assert "type=ParkingSpot&amp;page=2" in first.content.decode()
    # Every filter survives paging, in both directions (the one pager, {% querystring %}).
    searched = operator_client.get(LIST, {"q": "bulk", "status": "offline", "page": 2}).content.decode()
    assert 'href="?q=bulk&amp;status=offline&amp;page=1"' in searched
    assert len(operator_client.get(LIST, {"q": "bulk", "status": "offline"}).context["rows"]) == 25


def test_registry_is_linked_and_staff_only(operator_client: Any, anon_client: Any, citizen: Any) -> None:
    assert LIST in operator_client.get("/staff/sensors/").content.decode()
    assert anon_client.get(LIST).status_code in (302, 403, 404)
    assert anon_client.post(NEW, form()).status_code in (302, 403, 404)
    assert not Device.objects.exists()
