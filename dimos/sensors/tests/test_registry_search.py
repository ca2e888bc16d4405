"""The device registry's search box is Greek-aware (accent- and case-blind) on every write path:
the operator's form, the services, and NGSI-LD updates that rename a device."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.sensors import selectors
from dimos.sensors.models import Device
from dimos.sensors.tests.factories import DeviceFactory
from dimos.sensors.tests.test_ngsild import Api, spot

pytestmark = pytest.mark.django_db
LIST = "/staff/sensors/devices/"


@pytest.fixture
def square(serres: Any) -> list[Device]:
    return [
        DeviceFactory(municipality=serres, code="bin-sq-1", name="Κάδος Πλατεία Ελευθερίας 1"),
        DeviceFactory(municipality=serres, code="bin-sq-2", name="Κάδος Πλατεία Ελευθερίας 2"),
        DeviceFactory(municipality=serres, code="bin-erm-5", name="Κάδος Ερμού 5"),
    ]


def names(serres: Any, search: str) -> set[str]:
    return set(selectors.device_registry(serres, search=search).values_list("name", flat=True))


@pytest.mark.parametrize("typed", ["Πλατεία", "πλατεια", "ΠΛΑΤΕΙΑ", "πλατεία ελευθεριας", "ΕΛΕΥΘΕΡΊΑΣ"])
def test_the_square_is_found_however_it_is_typed(serres: Any, square: Any, typed: str) -> None:
    assert names(serres, typed) == {"Κάδος Πλατεία Ελευθερίας 1", "Κάδος Πλατεία Ελευθερίας 2"}


def test_words_narrow_and_codes_still_match(serres: Any, square: Any) -> None:
    assert names(serres, "πλατεια 2") == {"Κάδος Πλατεία Ελευθερίας 2"}
    assert names(serres, "ερμου") == {"Κάδος Ερμού 5"}
    assert names(serres, "BIN-ERM") == {"Κάδος Ερμού 5"}  # the short code, any case
    assert names(serres, "urn:ngsi-ld:WasteContainer:bin-sq-1") == {"Κάδος Πλατεία Ελευθερίας 1"}
    assert names(serres, "πλατεια ερμου") == set()


def test_the_registry_page_finds_the_unaccented_capitals(operator_client: Any, square: Any) -> None:
    html = operator_client.get(LIST, {"q": "ΠΛΑΤΕΙΑ"}).content.decode()
    assert "Κάδος Πλατεία Ελευθερίας 1" in html and "Κάδος Ερμού 5" not in html


def test_a_rename_over_ngsi_ld_is_searchable(serres: Any, token: str) -> None:
    api = Api(token)
    assert api.post("/entityOperations/create/", [spot(1)]).status_code == 201
    # Created in a batch (bulk_create, no save()): found by its id all the same.
    assert selectors.device_registry(serres, search="SERRES-001").get().ngsi_id == spot(1)["id"]
    renamed = [{"id": spot(1)["id"], "name": {"type": "Property", "value": "Θέση Πλατείας Εμπορίου"}}]
    assert api.post("/entityOperations/update", renamed).status_code == 204
    assert names(serres, "πλατειας εμποριου") == {"Θέση Πλατείας Εμπορίου"}
    one = {"name": {"type": "Property", "value": "Θέση Οδού Μεραρχίας"}}
    assert api.send("patch", f"/entities/{spot(1)['id']}/attrs", one).status_code == 204
    assert names(serres, "ΜΕΡΑΡΧΙΑΣ") == {"Θέση Οδού Μεραρχίας"}
    assert names(serres, "εμποριου") == set()
