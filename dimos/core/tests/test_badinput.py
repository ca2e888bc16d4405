"""Hostile input never crashes: control characters and deep JSON are a 400 in the door's own shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from dimos.core.badinput import JsonTooDeep, has_control_characters, json_depth, json_loads


@pytest.mark.parametrize(
    "url",
    [
        "/%00/",
        "/reports/track/%00/",
        "/?q=%00",
        "/services/?search=a%01b",
        "/api/v1/units/?x=%00",
    ],
)
def test_control_characters_in_a_url_are_a_400(anon_client: Client, url: str) -> None:
    response = anon_client.get(url)
    assert response.status_code == 400


def test_a_person_gets_a_greek_page(anon_client: Client) -> None:
    response = anon_client.get("/?q=%00")
    assert response.status_code == 400
    assert "χαρακτήρες ελέγχου" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_the_rest_api_gets_problem_details(anon_client: Client) -> None:
    response = anon_client.get("/api/v1/units/?x=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_a_form_field_with_a_nul_byte_is_a_400(alice_client: Client) -> None:
    response = alice_client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


def test_tabs_and_newlines_are_text(anon_client: Client) -> None:
    assert not has_control_characters("γραμμή 1\r\nγραμμή\t2")
    assert anon_client.get("/?q=a%09b").status_code == 200


def test_json_depth_skips_brackets_inside_strings() -> None:
    assert json_depth('{"a": "[[[[[", "b": [1, [2]]}') == 3
    assert json_depth('"just a string"') == 0
    assert json_depth(r'["esc \" [[[ "]') == 1


def test_deep_json_is_refused_before_parsing() -> None:
    with pytest.raises(JsonTooDeep):
        json_loads("[" * 100_000)
    assert json_loads(json.dumps({"a": [[[1]]]})) == {"a": [[[1]]]}


def test_the_rest_api_refuses_deep_json_with_problem_details(citizen: Any, serres: Any) -> None:
    from dimos.core.testing import SERRES_HOST, client_for

    client = client_for(citizen, SERRES_HOST)
    response = client.post("/api/v1/services/applications/", "[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "εμφώλευσης" in response.json()["detail"]
