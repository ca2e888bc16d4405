"""The NGSI-LD API at ``/ngsi-ld/v1/`` (the subset in docs/sensors/integrators.md): the views.

Each resource binds its HTTP methods to handlers, written by topic:

- ``negotiation``: tenant, content negotiation, @context, bodies and responses;
- ``query``: which devices a request may see; ``attrs``, ``q``, paging and geo-queries;
- ``listing``: ``GET /entities`` and ``POST /entityOperations/query`` (with the micro-cache);
- ``entities``: one entity, its attributes, and the batch operations;
- ``attribute``: one attribute (``/entities/{id}/attrs/{attrId}``: PATCH, DELETE);
- ``temporal``: ``/temporal/entities`` and ``/temporal/entities/{id}`` (``aggregate``: aggrMethods).

Writes need an integration credential; reads of public types (parking, air quality,
noise) are open.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from dimos.sensors.ngsild.attribute import attr_delete, attr_patch
from dimos.sensors.ngsild.entities import (
    attrs_patch,
    attrs_post,
    batch_create,
    batch_delete,
    batch_update,
    batch_upsert,
    entities_post,
    entity_delete,
    entity_get,
)
from dimos.sensors.ngsild.errors import NgsiError
from dimos.sensors.ngsild.listing import entities_get, query_post
from dimos.sensors.ngsild.negotiation import ngsi
from dimos.sensors.ngsild.temporal import temporal_get, temporal_query

entities = ngsi({"GET": entities_get, "POST": entities_post}, geo_methods=("GET",))
entity = ngsi({"GET": entity_get, "DELETE": entity_delete}, geo_methods=("GET",))
entity_attrs = ngsi({"POST": attrs_post, "PATCH": attrs_patch})
entity_attr = ngsi({"PATCH": attr_patch, "DELETE": attr_delete})
entity_operations_create = ngsi({"POST": batch_create})
entity_operations_upsert = ngsi({"POST": batch_upsert})
entity_operations_update = ngsi({"POST": batch_update})
entity_operations_delete = ngsi({"POST": batch_delete})
entity_operations_query = ngsi({"POST": query_post}, geo_methods=("POST",), read_methods=("POST",))
temporal_entity = ngsi({"GET": temporal_get})
temporal_entities = ngsi({"GET": temporal_query})


@csrf_exempt
def not_found(request: HttpRequest, **_: Any) -> HttpResponse:
    """Any other path under the API base: a ProblemDetails body, never an HTML page."""
    return NgsiError("ResourceNotFound", f"No NGSI-LD resource at {request.path}.").response()
