"""Open311 GeoReport v2 output: the XML documents and their JSON ("Spark convention") twins.

Each response is built as plain Python data (lists of dicts) and written either
as JSON (lists are bare arrays, codes and ids strings) or as XML (UTF-8
declaration, no namespace, list elements named after the singular).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# Element name of each list's items in XML.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_request_updates": "request_update",
}


def iso(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    end_of_day = dt.datetime.combine(value, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    return end_of_day.isoformat(timespec="seconds")


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return repr(value)
    return escape(str(value))


def _xml_node(name: str, value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append(f"<{name}>")
        for key, child in value.items():
            _xml_node(key, child, out)
        out.append(f"</{name}>")
    elif isinstance(value, list):
        item = ITEM_NAMES.get(name, "item")
        out.append(f"<{name}>")
        for child in value:
            _xml_node(item, child, out)
        out.append(f"</{name}>")
    else:
        text = _xml_value(value)
        out.append(f"<{name}>{text}</{name}>" if text else f"<{name}/>")


def to_xml(root: str, data: Any) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    _xml_node(root, data, out)
    return "".join(out)


def respond(fmt: str, root: str, data: Any, *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, data).encode(), content_type=XML_TYPE, status=status)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return HttpResponse(body.encode(), content_type=JSON_TYPE, status=status)


def errors(fmt: str, status: int, messages: list[str]) -> HttpResponse:
    """The standard error document: a list of {code, description}."""
    return respond(
        fmt, "errors", [{"code": str(status), "description": message} for message in messages], status=status
    )
