"""No ΑΦΜ, ΑΜΚΑ, e-mail, phone or name of a person reaches any dataset, in any format, or the API."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.opendata.models import Distribution
from dimos.opendata.services import media_path
from dimos.opendata.tests.conftest import AFM, AMKA, EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db
PERSONAL = [AFM, AMKA, EMAIL, PHONE, NAME, "Παπαδοπούλου", "citizen"]


def test_no_personal_data_in_any_file(built: Any) -> None:
    files = Distribution.objects.filter(municipality=built.municipality)
    assert files.count() >= 30
    for dist in files:
        text = media_path(dist.path).read_text(encoding="utf-8")
        for secret in PERSONAL:
            assert secret not in text, f"{secret} in {dist.path}"


def test_the_public_text_is_published_masked(built: Any) -> None:
    dist = Distribution.objects.get(version__dataset__key="reports", format="CSV")
    text = media_path(dist.path).read_text(encoding="utf-8")
    assert "Λακκούβα στη γωνία" in text
    assert "[τηλέφωνο]" in text and "[e-mail]" in text and "[αριθμός]" in text


def test_no_personal_data_through_the_api(built: Any, client: Any) -> None:
    from dimos.core.testing import SERRES_HOST

    body = client.get("/api/3/action/package_search?rows=1000", HTTP_HOST=SERRES_HOST).content.decode()
    package = client.get("/api/3/action/package_show?id=serres-reports", HTTP_HOST=SERRES_HOST).json()[
        "result"
    ]
    rid = next(r["id"] for r in package["resources"] if r["format"] == "CSV")
    rows = client.get(f"/api/3/action/datastore_search?resource_id={rid}&limit=1000", HTTP_HOST=SERRES_HOST)
    for secret in PERSONAL:
        assert secret not in body
        assert secret not in rows.content.decode()
