"""The services catalogue has a search box, accent- and case-blind, in Greek and in English."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.eservices import selectors
from dimos.eservices.models import Service

pytestmark = pytest.mark.django_db


def slugs(serres: Any, query: str) -> set[str]:
    return set(selectors.service_list(municipality=serres, query=query).values_list("slug", flat=True))


@pytest.mark.parametrize(
    "query", ["βεβαιωση μονιμης", "ΒΕΒΑΙΩΣΗ ΜΟΝΙΜΗΣ ΚΑΤΟΙΚΙΑΣ", "Βεβαίωση μόνιμης", "permanent residence"]
)
def test_a_service_is_found_however_its_title_is_typed(serres: Any, catalogue: Any, query: str) -> None:
    assert slugs(serres, query) == {"monimi-katoikia"}


def test_words_match_anywhere_and_all_must_match(serres: Any, catalogue: Any) -> None:
    assert {"monimi-katoikia", "eggrafi-dimotologio"} <= slugs(serres, "βεβαιωση")
    assert slugs(serres, "πιστοποιητικο γεννησης") == {"gov-gennisi"}
    assert slugs(serres, "βεβαιωση στάθμευσης") == set()


def test_an_edited_title_is_searchable_at_once(serres: Any, catalogue: Any) -> None:
    service = catalogue["karta-stathmefsis"]
    service.title_el = "Κάρτα στάθμευσης κατοίκου ιστορικού κέντρου"
    service.save(update_fields=["title_el"])
    assert slugs(serres, "ιστορικου κεντρου") == {"karta-stathmefsis"}
    assert Service.objects.get(pk=service.pk).search_text.startswith("καρτα σταθμευσησ")


def test_the_catalogue_page_searches(anon_client: Client, catalogue: Any) -> None:
    html = anon_client.get("/services/", {"q": "ΟΓΚΩΔΩΝ"}).content.decode()
    assert "Αποκομιδή ογκωδών αντικειμένων" in html and "Δημοτική ενημερότητα" not in html
    assert 'value="ΟΓΚΩΔΩΝ"' in html and "1 υπηρεσία" in html
    none = anon_client.get("/services/", {"q": "ανύπαρκτη"}).content.decode()
    assert "Καμία ηλεκτρονική υπηρεσία" in none
    everything = anon_client.get("/services/").content.decode()
    assert "Δημοτική ενημερότητα" in everything and "Αποκομιδή ογκωδών αντικειμένων" in everything
