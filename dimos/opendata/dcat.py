"""The DCAT-AP 3.0 catalogue (with DCAT-AP HVD 2.2 for high-value datasets) as an RDF graph.

One function builds the graph for a set of municipalities (one host's catalogue, or
the Region's union); ``serialise`` writes Turtle, RDF/XML or JSON-LD. Every node
that a shape constrains by class is typed here, so the graph validates on its own
(``dimos/opendata/tests/test_dcat.py`` runs the official SHACL shapes).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from dimos.core.models import Municipality
from dimos.opendata import constants as c
from dimos.opendata import selectors

DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = "http://spdx.org/rdf/terms#"
GREECE = URIRef("http://publications.europa.eu/resource/authority/country/GRC")

SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def _bind(g: Graph) -> None:
    for prefix, ns in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("skos", SKOS),
        ("vcard", VCARD),
        ("dcatap", DCATAP),
        ("eli", ELI),
    ):
        g.bind(prefix, ns)


def _typed(g: Graph, uri: str, kind: URIRef) -> URIRef:
    node = URIRef(uri)
    g.add((node, RDF.type, kind))
    return node


def _publisher(g: Graph, base: str, municipality: Municipality) -> URIRef:
    agent = _typed(g, f"{base}/opendata/catalog#publisher-{municipality.slug}", FOAF.Agent)
    g.add((agent, FOAF.name, Literal(municipality.name_el, lang="el")))
    g.add((agent, FOAF.name, Literal(municipality.name_en, lang="en")))
    g.add(
        (
            agent,
            DCTERMS.type,
            _concept(
                g,
                "http://purl.org/adms/publishertype/LocalAuthority",
                "Τοπική αυτοδιοίκηση",
                "Local authority",
            ),
        )
    )
    return agent


def _contact(g: Graph, base: str, municipality: Municipality) -> URIRef:
    contact = _typed(g, f"{base}/opendata/catalog#contact-{municipality.slug}", VCARD.Kind)
    g.add((contact, VCARD.fn, Literal(municipality.name_el, lang="el")))
    if municipality.email:
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{municipality.email}")))
    g.add((contact, VCARD.hasURL, URIRef(municipality.website or f"{base}/opendata/")))
    return contact


def _concept(g: Graph, uri: str, label_el: str, label_en: str) -> URIRef:
    node = _typed(g, uri, SKOS.Concept)
    g.add((node, SKOS.prefLabel, Literal(label_el, lang="el")))
    g.add((node, SKOS.prefLabel, Literal(label_en, lang="en")))
    return node


def _hvd_category(g: Graph, code: str) -> URIRef:
    node = _concept(g, f"http://data.europa.eu/bna/{code}", *c.HVD_CATEGORIES[code])
    g.add((node, SKOS.inScheme, URIRef(c.HVD_SCHEME)))
    return node


def _resource(g: Graph, uri: str) -> URIRef:
    """A web address used as a resource (access and endpoint URLs)."""
    return _typed(g, uri, RDFS.Resource)


def _legislation(g: Graph) -> URIRef:
    return _typed(g, c.HVD_LEGISLATION, ELI.LegalResource)


def _licence(g: Graph) -> URIRef:
    return _typed(g, c.LICENCE_EU, DCTERMS.LicenseDocument)


def _page(g: Graph, uri: str) -> URIRef:
    return _typed(g, uri, FOAF.Document)


def catalogue_graph(base: str, municipalities: Sequence[Municipality], *, title: str | None = None) -> Graph:
    """The catalogue of ``municipalities`` (their published datasets and the APIs that serve them)."""
    g = Graph()
    _bind(g)
    catalog = _typed(g, f"{base}/opendata/catalog", DCAT.Catalog)
    names_el = ", ".join(m.name_el for m in municipalities)
    names_en = ", ".join(m.name_en for m in municipalities)
    g.add((catalog, DCTERMS.title, Literal(title or f"Ανοικτά δεδομένα · {names_el}", lang="el")))
    g.add((catalog, DCTERMS.title, Literal(f"Open data · {names_en}", lang="en")))
    g.add(
        (
            catalog,
            DCTERMS.description,
            Literal(f"Τα ανοικτά δεδομένα: {names_el}. Άδεια CC BY 4.0.", lang="el"),
        )
    )
    g.add((catalog, DCTERMS.description, Literal(f"Open data of {names_en}. Licence CC BY 4.0.", lang="en")))
    g.add((catalog, FOAF.homepage, _page(g, f"{base}/opendata/")))
    g.add((catalog, DCTERMS.license, _licence(g)))
    for code in ("ELL", "ENG"):
        g.add((catalog, DCTERMS.language, _typed(g, c.EU_LANGUAGE + code, DCTERMS.LinguisticSystem)))
    g.add((catalog, DCTERMS.spatial, _typed(g, str(GREECE), DCTERMS.Location)))
    taxonomy = _typed(g, c.EU_THEME[:-1], SKOS.ConceptScheme)
    g.add((taxonomy, DCTERMS.title, Literal("Data theme", lang="en")))
    g.add((catalog, DCAT.themeTaxonomy, taxonomy))
    publishers = {m.pk: _publisher(g, base, m) for m in municipalities}
    contacts = {m.pk: _contact(g, base, m) for m in municipalities}
    if municipalities:
        g.add((catalog, DCTERMS.publisher, publishers[municipalities[0].pk]))

    datasets = list(selectors.published_datasets(municipalities))
    dists = selectors.current_distributions(datasets)
    modified = None
    dataset_nodes: dict[str, list[URIRef]] = {"all": [], "hvd": [], "sensors": [], "reports": []}
    for dataset in datasets:
        spec = selectors.spec_of(dataset)
        if spec is None:
            continue
        version = dataset.current
        node = _typed(g, f"{base}{reverse('opendata:dataset', args=[dataset.name])}", DCAT.Dataset)
        g.add((catalog, DCAT.dataset, node))
        dataset_nodes["all"].append(node)
        g.add((node, DCTERMS.identifier, Literal(str(dataset.uid))))
        g.add((node, DCTERMS.title, Literal(spec.title_el, lang="el")))
        g.add((node, DCTERMS.title, Literal(spec.title_en, lang="en")))
        g.add((node, DCTERMS.description, Literal(spec.description_el, lang="el")))
        g.add((node, DCTERMS.description, Literal(spec.description_en, lang="en")))
        for word in spec.keywords_el:
            g.add((node, DCAT.keyword, Literal(word, lang="el")))
        for word in spec.keywords:
            g.add((node, DCAT.keyword, Literal(word, lang="en")))
        for theme in spec.themes:
            g.add((node, DCAT.theme, _concept(g, c.EU_THEME + theme, *c.THEMES[theme])))
        g.add(
            (node, DCTERMS.accrualPeriodicity, _typed(g, c.EU_FREQUENCY + spec.frequency, DCTERMS.Frequency))
        )
        g.add((node, DCTERMS.publisher, publishers[dataset.municipality_id]))
        g.add((node, DCAT.contactPoint, contacts[dataset.municipality_id]))
        g.add((node, DCTERMS.spatial, _typed(g, str(GREECE), DCTERMS.Location)))
        g.add((node, DCTERMS.issued, Literal(dataset.created_at.isoformat(), datatype=XSD.dateTime)))
        g.add((node, DCTERMS.modified, Literal(version.built_at.isoformat(), datatype=XSD.dateTime)))
        g.add((node, DCAT.landingPage, _page(g, f"{base}{reverse('opendata:dataset', args=[dataset.name])}")))
        g.add((node, ADMS.versionNotes, Literal(f"έκδοση {version.number}", lang="el")))
        if version.temporal_start and version.temporal_end:
            period = BNode()
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            g.add((period, DCAT.startDate, Literal(version.temporal_start.isoformat(), datatype=XSD.date)))
            g.add((period, DCAT.endDate, Literal(version.temporal_end.isoformat(), datatype=XSD.date)))
            g.add((node, DCTERMS.temporal, period))
        modified = max(modified, version.built_at) if modified else version.built_at
        if spec.hvd_category:
            dataset_nodes["hvd"].append(node)
            g.add((node, DCATAP.applicableLegislation, _legislation(g)))
            g.add((node, DCATAP.hvdCategory, _hvd_category(g, spec.hvd_category)))
        if dataset.key in ("air-quality-hourly", "noise-hourly", "parking-occupancy-hourly"):
            dataset_nodes["sensors"].append(node)
        if dataset.key == "reports":
            dataset_nodes["reports"].append(node)
        for dist in dists[dataset.pk]:
            media, file_type, _suffix = c.FORMATS[dist.format]
            url = f"{base}{reverse('opendata:download', args=[dataset.name, dist.format.lower()])}"
            d = _typed(
                g,
                f"{base}{reverse('opendata:dataset', args=[dataset.name])}#{dist.format.lower()}",
                DCAT.Distribution,
            )
            g.add((node, DCAT.distribution, d))
            g.add((d, DCAT.accessURL, _resource(g, url)))
            g.add((d, DCAT.downloadURL, _resource(g, url)))
            g.add((d, DCTERMS.title, Literal(f"{spec.title_el} ({dist.format})", lang="el")))
            g.add(
                (d, DCTERMS.description, Literal(f"{dist.format}, UTF-8, έκδοση {version.number}", lang="el"))
            )
            g.add((d, DCTERMS.format, _typed(g, c.EU_FILE_TYPE + file_type, DCTERMS.MediaTypeOrExtent)))
            g.add(
                (
                    d,
                    DCAT.mediaType,
                    _typed(g, f"https://www.iana.org/assignments/media-types/{media}", DCTERMS.MediaType),
                )
            )
            g.add((d, DCTERMS.license, _licence(g)))
            g.add((d, DCAT.byteSize, Literal(dist.byte_size, datatype=XSD.nonNegativeInteger)))
            g.add((d, DCTERMS.modified, Literal(version.built_at.isoformat(), datatype=XSD.dateTime)))
            checksum = BNode()
            g.add((checksum, RDF.type, URIRef("http://spdx.org/rdf/terms#Checksum")))
            algorithm = _typed(g, SPDX + "checksumAlgorithm_sha256", URIRef(SPDX + "ChecksumAlgorithm"))
            g.add((checksum, URIRef(SPDX + "algorithm"), algorithm))
            g.add(
                (
                    checksum,
                    URIRef("http://spdx.org/rdf/terms#checksumValue"),
                    Literal(dist.sha256, datatype=XSD.hexBinary),
                )
            )
            g.add((d, URIRef("http://spdx.org/rdf/terms#checksum"), checksum))
            if spec.hvd_category:
                g.add((d, DCATAP.applicableLegislation, _legislation(g)))
    if modified:
        g.add((catalog, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.dateTime)))
    contact = contacts[municipalities[0].pk] if municipalities else None
    services = [
        (
            "ckan",
            "/api/3/action/",
            "CKAN Action API (v3)",
            "https://docs.ckan.org/en/2.10/api/",
            dataset_nodes["all"],
        ),
        (
            "open311",
            "/open311/v2/",
            "Open311 GeoReport v2",
            "https://wiki.open311.org/GeoReport_v2/",
            dataset_nodes["reports"],
        ),
        (
            "ngsild",
            "/ngsi-ld/v1/",
            "NGSI-LD (ETSI GS CIM 009)",
            "https://www.etsi.org/deliver/etsi_gs/CIM/001_099/009/",
            dataset_nodes["sensors"],
        ),
    ]
    hvd = set(dataset_nodes["hvd"])
    for key, path, label, doc, served in services:
        service = _typed(g, f"{base}/opendata/catalog#service-{key}", DCAT.DataService)
        g.add((catalog, DCAT.service, service))
        g.add((service, DCTERMS.title, Literal(label, lang="en")))
        g.add((service, DCAT.endpointURL, _resource(g, f"{base}{path}")))
        g.add((service, DCAT.endpointDescription, _resource(g, doc)))
        g.add((service, FOAF.page, _page(g, doc)))
        # The official HVD 2.2.0 shapes spell the documentation property foaf:Page; say it both ways.
        g.add((service, URIRef(str(FOAF) + "Page"), _page(g, doc)))
        g.add((service, DCTERMS.license, _licence(g)))
        if contact is not None:
            g.add((service, DCAT.contactPoint, contact))
        for node in served:
            g.add((service, DCAT.servesDataset, node))
        categories = {o for n in served if n in hvd for o in g.objects(n, DCATAP.hvdCategory)}
        if categories:
            g.add((service, DCATAP.applicableLegislation, _legislation(g)))
            for category in categories:
                g.add((service, DCATAP.hvdCategory, category))
    return g


def hvd_subgraph(g: Graph) -> Graph:
    """The high-value part of a catalogue: its HVD datasets, their distributions and the HVD data services."""
    out = Graph()
    _bind(out)
    keep = set(g.subjects(DCATAP.applicableLegislation, URIRef(c.HVD_LEGISLATION)))
    todo, seen = list(keep), set(keep)
    while todo:
        subject = todo.pop()
        for p, o in g.predicate_objects(subject):
            if p == DCAT.servesDataset and o not in keep:
                continue  # a data service keeps only the high-value datasets it serves
            out.add((subject, p, o))
            if not isinstance(o, Literal) and o not in seen:
                seen.add(o)
                todo.append(o)
    return out


def serialise(g: Graph, suffix: str) -> tuple[bytes, str]:
    fmt, media = SERIALISATIONS[suffix]
    data = g.serialize(format=fmt, encoding="utf-8")
    return data, media
