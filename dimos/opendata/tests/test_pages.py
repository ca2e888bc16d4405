"""The public open-data pages: search with facets, a dataset page, downloads of every version."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.core.testing import SERRES_HOST
from dimos.opendata.models import Dataset
from dimos.opendata.services import dataset_build

pytestmark = pytest.mark.django_db


def _get(client: Any, path: str) -> Any:
    return client.get(path, HTTP_HOST=SERRES_HOST)


def test_the_index_lists_every_dataset(built: Any, client: Any) -> None:
    response = _get(client, "/opendata/")
    assert response.status_code == 200
    assert "Ποιότητα του αέρα ανά σταθμό και ώρα" in response.content.decode()
    assert response.context["count"] == 13


def test_search_ignores_accents_and_case(built: Any, client: Any) -> None:
    response = _get(client, "/opendata/?q=ΘΟΡΥΒΟΣ")
    assert [i["dataset"].key for i in response.context["items"]] == ["noise-hourly"]


def test_facets_filter(built: Any, client: Any) -> None:
    response = _get(client, "/opendata/?theme=EDUC&format=GeoJSON")
    assert [i["dataset"].key for i in response.context["items"]] == ["school-devices-per-pupil"]
    assert ("EDUC", "Παιδεία, πολιτισμός και αθλητισμός", 1) in response.context["theme_facets"]


def test_unknown_facet_values_are_ignored_not_errors(built: Any, client: Any) -> None:
    response = _get(client, "/opendata/?theme=NOPE&format=exe&municipality=../../etc&page=-3")
    assert response.status_code == 200
    assert response.context["count"] == 13


def test_a_dataset_page_has_preview_chart_downloads_api_and_licence(built: Any, client: Any) -> None:
    response = _get(client, "/opendata/dataset/serres-air-quality-hourly/")
    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["preview"]) == 6
    assert len(response.context["chart"]) == 6
    assert "/api/3/action/package_show?id=serres-air-quality-hourly" in page
    assert "datastore_search?resource_id=" in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    for fmt in ("csv", "json", "geojson"):
        assert f"/opendata/dataset/serres-air-quality-hourly/download.{fmt}" in page


def test_previous_versions_stay_downloadable(built: Any, client: Any) -> None:
    dataset_build(municipality=built.municipality, key="departments")
    first = _get(client, "/opendata/dataset/serres-departments/v1/download.csv")
    latest = _get(client, "/opendata/dataset/serres-departments/download.csv")
    assert first.status_code == latest.status_code == 200
    assert first["Content-Type"].startswith("text/csv")
    assert _get(client, "/opendata/dataset/serres-departments/v99/download.csv").status_code == 404


def test_a_failed_build_is_said_on_the_page(built: Any, client: Any) -> None:
    Dataset.objects.filter(key="reports").update(last_error="RuntimeError: boom")
    page = _get(client, "/opendata/dataset/serres-reports/").content.decode()
    assert "απέτυχε" in page and "boom" not in page


def test_unknown_dataset_is_404(built: Any, client: Any) -> None:
    assert _get(client, "/opendata/dataset/nope/").status_code == 404
    assert _get(client, "/opendata/dataset/nope/download.csv").status_code == 404


def test_english(built: Any, client: Any) -> None:
    client.cookies["dimos_language"] = "en"
    response = _get(client, "/opendata/dataset/serres-noise-hourly/")
    assert "Noise per station and hour" in response.content.decode()
