"""Shared pieces of the Open311 tests: readers of both formats and a report with personal data."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from dimos.reports.services import Reporter, report_submit
from dimos.reports.tests.conftest import CITY

FORMATS = ["json", "xml"]
J = {"jurisdiction_id": "serres.gr"}


def parse(response):
    """(content type kind, data) with XML turned into comparable Python structures."""
    ctype = response["Content-Type"]
    if ctype.startswith("application/json"):
        assert ctype == "application/json; charset=utf-8"
        return json.loads(response.content)
    assert ctype == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def error_list(response, fmt):
    data = parse(response)
    if fmt == "json":
        assert isinstance(data, list) and data
        for item in data:
            assert set(item) == {"code", "description"}
            assert item["code"] == str(response.status_code)
        return [item["description"] for item in data]
    assert data.tag == "errors"
    items = data.findall("error")
    assert items
    for item in items:
        assert item.findtext("code") == str(response.status_code)
    return [item.findtext("description") for item in items]


def requests_of(response, fmt):
    data = parse(response)
    if fmt == "json":
        return data
    assert data.tag == "service_requests"
    return [{child.tag: (child.text or "") for child in item} for item in data.findall("request")]


def _report(serres, categories, code="street-light", **kw):
    return report_submit(
        municipality=serres,
        category=categories[code],
        lat=kw.pop("lat", CITY[0]),
        lon=kw.pop("lon", CITY[1]),
        description=kw.pop("description", "Σβηστή λάμπα στη γωνία."),
        reporter=Reporter(name="Ιωάννα Κρυφή", email="secret.person@example.org", phone="6900000001"),
        source="open311",
        **kw,
    )
