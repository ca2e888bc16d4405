"""The catalogue passes the official DCAT-AP 3.0 and HVD 2.2 SHACL shapes with 0 violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from dimos.core.testing import SERRES_HOST

pytestmark = pytest.mark.django_db
SHAPES = Path(__file__).parent / "shapes"


def _violations(data: Graph, shapes: str) -> tuple[bool, str]:
    from pyshacl import validate

    conforms, _graph, text = validate(
        data, shacl_graph=str(SHAPES / shapes), data_graph_format="turtle", inference="none"
    )
    return conforms, text


def _catalogue(client: Any, suffix: str = ".ttl") -> Graph:
    response = client.get(f"/opendata/catalog{suffix}", HTTP_HOST=SERRES_HOST)
    assert response.status_code == 200
    fmt = {".ttl": "turtle", ".rdf": "xml", ".jsonld": "json-ld"}[suffix]
    return Graph().parse(data=response.content, format=fmt)


def test_the_catalogue_conforms_to_dcat_ap_3(built: Any, client: Any) -> None:
    graph = _catalogue(client)
    assert len(list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))) >= 12
    conforms, report = _violations(graph, "dcat-ap-3.0.0-SHACL.ttl")
    assert conforms, report


def test_the_high_value_datasets_conform_to_the_hvd_shapes(built: Any, client: Any) -> None:
    from dimos.opendata.dcat import hvd_subgraph

    hvd = hvd_subgraph(_catalogue(client))
    datasets = set(hvd.subjects(ns.RDF.type, ns.DCAT.Dataset))
    assert len(datasets) == 4  # air quality, noise, parking, municipal units
    assert len(list(hvd.subjects(ns.RDF.type, ns.DCAT.DataService))) >= 1
    conforms, report = _violations(hvd, "dcat-ap-hvd-2.2.0-SHACL.ttl")
    assert conforms, report


@pytest.mark.parametrize("suffix", [".ttl", ".rdf", ".jsonld"])
def test_every_serialisation_carries_the_same_graph(built: Any, client: Any, suffix: str) -> None:
    from rdflib.compare import isomorphic

    assert isomorphic(_catalogue(client, suffix), _catalogue(client, ".ttl"))


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/turtle", "text/turtle"),
        ("*/*", "text/turtle"),
    ],
)
def test_content_negotiation_on_one_url(built: Any, client: Any, accept: str, media: str) -> None:
    response = client.get("/opendata/catalog", HTTP_HOST=SERRES_HOST, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media)
    assert "Accept" in response["Vary"]


def test_the_catalogue_names_the_apis_as_data_services(built: Any, client: Any) -> None:
    graph = _catalogue(client)
    endpoints = {
        str(o)
        for s in graph.subjects(ns.RDF.type, ns.DCAT.DataService)
        for o in graph.objects(s, ns.DCAT.endpointURL)
    }
    assert endpoints == {
        "http://serres.localhost/api/3/action/",
        "http://serres.localhost/open311/v2/",
        "http://serres.localhost/ngsi-ld/v1/",
    }
    assert URIRef("http://serres.localhost/opendata/catalog") in set(
        graph.subjects(ns.RDF.type, ns.DCAT.Catalog)
    )


def test_another_municipality_catalogue_has_none_of_these_datasets(
    built: Any, irakleia: Any, client: Any
) -> None:
    response = client.get("/opendata/catalog.ttl", HTTP_HOST="irakleia.localhost")
    graph = Graph().parse(data=response.content, format="turtle")
    assert not list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))
    conforms, report = _violations(graph, "dcat-ap-3.0.0-SHACL.ttl")
    assert conforms, report
