"""Point-in-polygon for municipalities and their units (shapely, no GIS database).

Boundaries are GeoJSON in the database; prepared shapely geometries are cached
per process and rebuilt when a boundary changes (the key includes updated_at).
"""

from __future__ import annotations

import math
from functools import lru_cache

from shapely import prepared
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from dimos.core.models import Municipality, MunicipalUnit

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bbox_around(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a square that contains the circle."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def valid_lat_lon(lat: float, lon: float) -> bool:
    return (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    )


@lru_cache(maxsize=512)
def _prepared(geojson_key: str, version: str) -> prepared.PreparedGeometry:
    import json

    return prepared.prep(shape(json.loads(geojson_key)))


def _geom(boundary: dict, version: str) -> prepared.PreparedGeometry:
    import json

    return _prepared(json.dumps(boundary, sort_keys=True), version)


def geometry(boundary: dict) -> BaseGeometry:
    return shape(boundary)


def municipality_contains(municipality: Municipality, lat: float, lon: float) -> bool:
    if not municipality.boundary:
        return True
    geom = _geom(municipality.boundary, str(municipality.updated_at))
    return geom.covers(Point(lon, lat))


def municipality_at(lat: float, lon: float) -> Municipality | None:
    """The municipality whose boundary holds the point (for "ask them instead")."""
    for municipality in Municipality.objects.exclude(boundary=None):
        if municipality.boundary and _geom(municipality.boundary, str(municipality.updated_at)).covers(
            Point(lon, lat)
        ):
            return municipality
    return None


@lru_cache(maxsize=64)
def _units(municipality_id: int, version: str) -> list[tuple[int, prepared.PreparedGeometry]]:
    return [
        (unit.pk, prepared.prep(shape(unit.boundary)))
        for unit in MunicipalUnit.objects.filter(municipality_id=municipality_id).only("pk", "boundary")
    ]


def unit_at(municipality: Municipality, lat: float, lon: float) -> MunicipalUnit | None:
    """The municipal unit that contains the point, or None outside every unit."""
    if not valid_lat_lon(lat, lon):
        return None
    from django.db.models import Max

    # Cheap staleness key: a boundary edit changes the newest updated_at.
    version = str(MunicipalUnit.objects.filter(municipality=municipality).aggregate(v=Max("updated_at"))["v"])
    point = Point(lon, lat)
    for pk, geom in _units(municipality.pk, version):
        if geom.covers(point):
            return MunicipalUnit.objects.get(pk=pk)
    return None
