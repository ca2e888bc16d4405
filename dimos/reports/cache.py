"""The shared, public caches of the reports app: the Open311 request list and the public map data.

Both are anonymous answers built only from public data, so one cached body serves
every visitor. A body is keyed by the municipality's data version of the public
reports (``dimos.core.versions``, topic ``constants.DATA_TOPIC``), which every write
moves forward inside its own transaction (model signals in ``signals.py``; services
call ``data_changed`` next to their ``QuerySet.update``). So a change, a deletion
included, is visible on the next request in every process, with Redis or without;
the time-to-live only bounds memory. The key also holds the language (names are
translated) and the day (open requests show their deadline).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from dimos.core.models import Municipality
from dimos.core.versions import data_version
from dimos.reports.constants import DATA_TOPIC

TTL_SECONDS = 300

BBox = tuple[float, float, float, float]


def snap_bbox(bbox: BBox, zoom: int) -> BBox:
    """The box grown outwards to whole map tiles of ``zoom`` (256 px at that zoom).

    Nearby views of the map then ask for the same box, so their cache keys repeat;
    the answer is computed for the snapped box, never for the box that was asked.
    """
    step = 360.0 / (2**zoom)
    west, south, east, north = bbox
    return (
        max(-180.0, math.floor(west / step) * step),
        max(-90.0, math.floor(south / step) * step),
        min(180.0, math.ceil(east / step) * step),
        min(90.0, math.ceil(north / step) * step),
    )


def cached_response(
    *, municipality: Municipality, namespace: str, parts: list[str], build: Callable[[], HttpResponse]
) -> HttpResponse:
    """The cached answer for this request and data version, else build (and store) it."""
    raw = "|".join(
        [
            namespace,
            str(municipality.pk),
            str(data_version(municipality.pk, DATA_TOPIC)),
            get_language() or "el",
            timezone.localdate().isoformat(),
            *parts,
        ]
    )
    key = "dimos:reports:" + hashlib.sha256(raw.encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        status, content_type, body = hit
        return HttpResponse(body, content_type=content_type, status=status)
    response = build()
    if response.status_code == 200:
        cache.set(key, (response.status_code, response["Content-Type"], response.content), TTL_SECONDS)
    return response
