"""The inventory's search box is Greek-aware: accents and case do not matter, it finds assets by
their category and model names, and a tag typed with the keyboard left in Greek still finds it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from dimos.core.testing import SERRES_HOST, client_for
from dimos.schools import selectors, services
from dimos.schools.constants import AssetStatus
from dimos.schools.models import Asset, EquipmentModel
from dimos.schools.tests.factories import category, eq_model, school

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory(serres: Any) -> dict[str, Asset]:
    s = school(serres, "3ο Γυμνάσιο Σερρών")
    laptops = category(serres, "laptop", "Φορητός υπολογιστής")
    boards = category(serres, "board", "Διαδραστικός πίνακας")
    lenovo = eq_model(serres, laptops, "lap-v15", "689.00")
    lenovo.manufacturer, lenovo.name = "Lenovo", "V15 G4 i5"
    lenovo.save()
    smart = eq_model(serres, boards, "ib-65", "1890.00")
    smart.name = "Board MX265 (οθόνη αφής)"
    smart.save(update_fields=["name"])

    def asset(model: EquipmentModel, serial: str) -> Asset:
        return services.asset_create(
            municipality=serres,
            actor=None,
            model=model,
            serial=serial,
            school=s,
            status=AssetStatus.DEPLOYED,
            purchase_date=date(2025, 9, 1),
        )

    return {"laptop": asset(lenovo, "PF-4411"), "board": asset(smart, "MX-9001")}


def found(serres: Any, q: str) -> set[str]:
    return set(
        selectors.asset_search(Asset.objects.filter(municipality=serres), q=q).values_list(
            "serial", flat=True
        )
    )


@pytest.mark.parametrize(
    "q", ["φορητος", "ΦΟΡΗΤΟΣ", "Φορητός", "φορητός υπολογιστης", "lenovo", "v15 φορητος"]
)
def test_laptops_are_found_by_category_and_model_however_typed(serres: Any, inventory: Any, q: str) -> None:
    assert found(serres, q) == {"PF-4411"}


def test_a_model_name_saved_with_update_fields_is_searchable(serres: Any, inventory: Any) -> None:
    assert found(serres, "οθονη αφης") == {"MX-9001"}
    assert found(serres, "διαδραστικος") == {"MX-9001"}


def test_a_tag_typed_on_a_greek_keyboard_finds_the_latin_tag(serres: Any, inventory: Any) -> None:
    tag = inventory["board"].tag  # e.g. SER-000002
    prefix, number = tag.split("-")
    greek = prefix.lower().translate(str.maketrans("ser", "σερ")) + "-" + number
    assert greek.startswith("σερ-")
    assert found(serres, greek) == {"MX-9001"}
    assert found(serres, greek.upper()) == {"MX-9001"}
    assert found(serres, "πφ-4411") == {"PF-4411"}  # a serial number, too
    assert found(serres, "σερ-999999") == set()


def test_nothing_matches_what_is_not_there(serres: Any, inventory: Any) -> None:
    assert found(serres, "προβολικό") == set()
    assert found(serres, "φορητος epson") == set()  # every word must match


def test_the_inventory_page_searches_the_same_way(serres: Any, bob: Any, inventory: Any) -> None:
    client = client_for(bob, SERRES_HOST)
    html = client.get(reverse("schools:asset_list"), {"q": "ΦΟΡΗΤΟΣ"}).content.decode()
    assert inventory["laptop"].tag in html and inventory["board"].tag not in html
