"""Equipment categories in the reader's language; the demo names them in both."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from dimos.schools.demo import CATEGORIES
from dimos.schools.models import EquipmentCategory

GREEK = re.compile("[Α-Ωα-ωΆ-ώ]")


@pytest.mark.django_db
def test_category_name_follows_the_language(serres) -> None:
    tablets = EquipmentCategory.objects.create(
        municipality=serres, code="tablet", name="Ταμπλέτα", name_en="Tablet"
    )
    bare = EquipmentCategory.objects.create(municipality=serres, code="robot", name="Ρομποτική")
    with translation.override("el"):
        assert str(tablets) == "Ταμπλέτα"
    with translation.override("en"):
        assert str(tablets) == "Tablet" and str(bare) == "Ρομποτική"  # Greek until English is written


def test_demo_categories_are_greek_with_english_beside() -> None:
    assert all(GREEK.search(el) and en and not GREEK.search(en) for _code, el, en in CATEGORIES)
