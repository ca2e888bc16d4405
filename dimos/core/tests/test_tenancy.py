from typing import Any

import pytest
from django.test import Client

from dimos.core.geo import municipality_at, municipality_contains, unit_at
from dimos.core.tenancy import municipality_for_host
from dimos.core.testing import IRAKLEIA_HOST, SERRES_HOST


def test_host_resolves_the_municipality(serres: Any, irakleia: Any) -> None:
    assert municipality_for_host(SERRES_HOST) == serres
    assert municipality_for_host("IRAKLEIA.localhost:8000") == irakleia


def test_unknown_host_falls_back_to_the_default(serres: Any, settings: Any) -> None:
    settings.DIMOS_DEFAULT_MUNICIPALITY = "serres"
    assert municipality_for_host("elsewhere.localhost") == serres


def test_unknown_host_without_default_is_a_clean_404(serres: Any, settings: Any) -> None:
    settings.DIMOS_DEFAULT_MUNICIPALITY = ""
    response = Client(HTTP_HOST="elsewhere.localhost").get("/")
    assert response.status_code == 404


def test_disallowed_host_is_400_not_500(serres: Any) -> None:
    assert Client(HTTP_HOST="evil.example.com").get("/").status_code == 400


def test_inactive_municipality_is_not_served(serres: Any, settings: Any) -> None:
    settings.DIMOS_DEFAULT_MUNICIPALITY = ""
    serres.is_active = False
    serres.save()
    assert Client(HTTP_HOST=SERRES_HOST).get("/").status_code == 404


def test_point_in_polygon_finds_the_unit(serres: Any, irakleia: Any) -> None:
    assert unit_at(serres, 41.0857, 23.5480).name_el == "Σερρών"
    assert unit_at(serres, 41.30, 23.45) is None  # inside the municipality, outside the only unit
    assert municipality_contains(serres, 41.0857, 23.5480)
    assert not municipality_contains(serres, 41.18, 23.28)
    assert municipality_at(41.18, 23.28) == irakleia
    assert unit_at(serres, float("nan"), 23.5) is None


def test_staff_pages_need_login(anon_client: Client) -> None:
    response = anon_client.get("/staff/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_citizen_cannot_open_staff_pages(serres: Any, citizen: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    client.force_login(citizen)
    assert client.get("/staff/").status_code == 404


def test_region_viewer_reads_every_municipality(serres: Any, irakleia: Any, region_viewer: Any) -> None:
    for host in (SERRES_HOST, IRAKLEIA_HOST):
        client = Client(HTTP_HOST=host)
        client.force_login(region_viewer)
        assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/privacy/"])
def test_public_pages_are_greek_by_default(anon_client: Client, path: str) -> None:
    response = anon_client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="el">' in html
    assert "Μετάβαση στο περιεχόμενο" in html  # skip link


def test_language_switch_to_english(anon_client: Client) -> None:
    response = anon_client.get("/lang/en/?next=/privacy/")
    assert response.status_code == 302 and response["Location"] == "/privacy/"
    html = anon_client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html


def test_greek_even_for_an_english_browser(anon_client: Client) -> None:
    html = anon_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="el">' in html


def test_apis_honour_accept_language(anon_client: Client) -> None:
    response = anon_client.get("/api/v1/departments/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert anon_client.get("/api/v1/departments/")["Content-Language"] == "el"


def test_language_switch_refuses_bad_input(anon_client: Client) -> None:
    assert anon_client.get("/lang/xx/").status_code == 404
    response = anon_client.get("/lang/en/?next=https://evil.example.com/")
    assert response["Location"] == "/"  # no open redirect


def test_anonymous_header_is_cached_per_language_and_page(anon_client: Client) -> None:
    first = anon_client.get("/").content.decode()
    assert 'href="/lang/en/?next=/"' in first
    anon_client.get("/lang/en/?next=/")
    english = anon_client.get("/").content.decode()
    assert "Skip to content" in english and 'href="/lang/el/?next=/"' in english
    privacy = anon_client.get("/privacy/").content.decode()
    assert 'href="/lang/el/?next=/privacy/"' in privacy


def test_the_client_address_comes_from_a_trusted_proxy_only(rf: Any, settings: Any) -> None:
    from dimos.core.middleware import client_ip

    forged = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(forged) == "203.0.113.9"  # nobody is trusted by default
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(forged) == "203.0.113.9"  # not from the proxy: the header is ignored
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1, 198.51.100.7")
    assert client_ip(proxied) == "198.51.100.7"
    garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(garbage) == "127.0.0.1"
