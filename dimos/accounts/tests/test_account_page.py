"""/accounts/me/: identity data from the sign-in service reads as read-only, with where it comes from."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.core.testing import SERRES_HOST, client_for

pytestmark = pytest.mark.django_db


def test_identity_data_is_text_with_its_source_never_an_input(serres: Any, citizen: Any) -> None:
    page = client_for(citizen, SERRES_HOST).get("/accounts/me/").content.decode()
    identity = page[page.index('id="identity-h"') : page.index('id="contact-h"')]
    assert citizen.afm in identity and "<input" not in identity and "<textarea" not in identity
    assert "Τα στοιχεία ταυτότητας δεν αλλάζουν εδώ" in identity
    assert 'aria-describedby="identity-source"' in identity
