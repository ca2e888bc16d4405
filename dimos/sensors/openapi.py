"""The HTTP batch door in the OpenAPI document (``/api/schema/``, ``/api/docs/``).

``POST /api/v1/sensors/readings/`` is a plain Django view (the ingestion path stays free of the
REST framework's per-request work), so drf-spectacular cannot see it; this post-processing hook
(``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``) describes it by hand, from the same
constants the view uses."""

from __future__ import annotations

from typing import Any

from dimos.sensors.constants import MAX_BATCH

PATH = "/api/v1/sensors/readings/"

READING = {
    "type": "object",
    "required": ["device", "observedAt", "values"],
    "properties": {
        "device": {
            "type": "string",
            "description": "The device's code in the registry, its NGSI-LD id, DevEUI or TTN device id.",
            "example": "bin-42",
        },
        "observedAt": {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601 with an offset (or Z); not in the future.",
            "example": "2026-12-03T10:15:00Z",
        },
        "values": {
            "type": "object",
            "additionalProperties": {},
            "description": "Measured attributes of the device's type, in its units (docs/sensors/integrators.md).",
            "example": {"fillingLevel": 0.42, "temperature": 18.5},
        },
    },
}
RESULT = {
    "type": "object",
    "properties": {
        "index": {"type": "integer", "description": "Position of the item in the request."},
        "status": {"type": "string", "enum": ["created", "duplicate", "error"]},
        "device": {"type": "string"},
        "observed_at": {"type": "string", "format": "date-time"},
        "error": {"type": "string", "description": "Why the item was refused (in the request's language)."},
        "field": {"type": "string", "description": "The attribute or field the error is about."},
    },
}
OUTCOME = {
    "type": "object",
    "properties": {
        "created": {"type": "integer"},
        "duplicates": {"type": "integer"},
        "errors": {"type": "integer"},
        "results": {"type": "array", "items": RESULT},
    },
}
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/SensorProblem"}}}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": PROBLEM}


def add_readings_batch(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add the batch door to the generated document."""
    components = result.setdefault("components", {})
    components.setdefault("securitySchemes", {})["SensorCredential"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "An integration credential (dms_…) with a write scope, issued in the registry.",
    }
    components.setdefault("schemas", {})["SensorProblem"] = {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "code": {"type": "string"},
        },
    }
    batch = {"type": "array", "items": READING, "minItems": 1, "maxItems": MAX_BATCH}
    result.setdefault("paths", {})[PATH] = {
        "post": {
            "operationId": "sensors_readings_batch",
            "tags": ["sensors"],
            "summary": "Send many readings at once",
            "description": (
                f"Idempotent per (device, observedAt); at most {MAX_BATCH} readings a request. "
                "200 when every item was stored or already there, 207 with per-item results when "
                "some were refused."
            ),
            "security": [{"SensorCredential": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "oneOf": [
                                {
                                    "type": "object",
                                    "required": ["readings"],
                                    "properties": {"readings": batch},
                                },
                                batch,
                            ]
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Every reading stored or a duplicate.",
                    "content": {"application/json": {"schema": OUTCOME}},
                },
                "207": {
                    "description": "Some readings refused; see results.",
                    "content": {"application/json": {"schema": OUTCOME}},
                },
                "400": _problem("Malformed JSON or no readings."),
                "401": _problem("No valid integration credential."),
                "403": _problem("The credential has no write scope."),
                "413": _problem(f"More than {MAX_BATCH} readings."),
                "415": _problem("Content-Type is not application/json."),
            },
        }
    }
    return result
