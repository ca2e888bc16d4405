"""Public open-data pages, downloads and the DCAT catalogue (thin: selectors do the reading)."""

from __future__ import annotations

from itertools import islice
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dimos.core.i18n import bilingual
from dimos.core.pagination import page_number, slice_page
from dimos.core.tenancy import require_municipality
from dimos.opendata import dcat, selectors
from dimos.opendata.constants import FORMATS, HVD_CATEGORIES, LICENCE_TITLE, LICENCE_URL, THEMES
from dimos.opendata.models import Distribution
from dimos.opendata.services import media_path

PREVIEW_ROWS = 20
ACCEPT = [("text/turtle", "ttl"), ("application/rdf+xml", "rdf"), ("application/ld+json", "jsonld")]


def _scope(request: HttpRequest) -> list:
    return selectors.catalogue_scope(require_municipality(request))


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    q = request.GET.get("q", "")[:200]
    theme = request.GET.get("theme", "")
    fmt = request.GET.get("format", "")
    org = request.GET.get("municipality", "")
    filters = selectors.Filters(
        groups=(theme,) if theme in THEMES else (),
        res_format=(fmt,) if fmt in FORMATS else (),
        organization=(org,) if org in {m.slug for m in scope} else (),
    )
    qs = selectors.dataset_search(scope, q=q, filters=filters)
    facets = selectors.search_facets(qs, ["groups", "res_format", "organization"])
    rows, page = slice_page(qs, number=page_number(request), size=20)
    names = {m.slug: bilingual(m.name_el, m.name_en) for m in scope}
    items = []
    for dataset in rows:
        spec = selectors.spec_of(dataset)
        if spec:
            items.append(
                {
                    "dataset": dataset,
                    "spec": spec,
                    "title": bilingual(spec.title_el, spec.title_en),
                    "description": bilingual(spec.description_el, spec.description_en),
                    "themes": [bilingual(*THEMES[t]) for t in spec.themes],
                }
            )
    context = {
        "q": q,
        "theme": theme,
        "format": fmt,
        "org": org,
        "items": items,
        "page": page,
        "count": qs.count(),
        "theme_facets": [
            (code.upper(), bilingual(*THEMES[code.upper()]), n)
            for code, n in sorted(facets["groups"].items())
        ],
        "format_facets": sorted(facets["res_format"].items()),
        "org_facets": [
            (slug, names.get(slug, slug), n) for slug, n in sorted(facets["organization"].items())
        ],
        "many_municipalities": len(scope) > 1,
    }
    return render(request, "opendata/index.html", context)


def _dataset_or_404(request: HttpRequest, name: str) -> Any:
    dataset = selectors.dataset_lookup(_scope(request), name)
    if dataset is None:
        raise Http404("No such dataset.")
    return dataset


def _chart(rows: list[dict[str, Any]], label: str, value: str) -> list[dict[str, Any]]:
    points = [
        (str(r.get(label) or "")[:16], r.get(value)) for r in rows if isinstance(r.get(value), int | float)
    ]
    top = max((abs(v) for _, v in points), default=0) or 1
    # Bars of up to 420 px beside 150 px of labels; the table below holds the same numbers.
    return [
        {"label": lbl, "value": v, "width": int(420 * abs(v) / top), "y": 20 * i}
        for i, (lbl, v) in enumerate(points)
    ]


@require_GET
def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset_or_404(request, name)
    spec = selectors.spec_of(dataset)
    dists = selectors.current_distributions([dataset])[dataset.pk]
    csv_dist = next((d for d in dists if d.format == "CSV"), None)
    preview: list[dict[str, Any]] = []
    if csv_dist is not None:
        csv_dist.version = dataset.current
        csv_dist.version.dataset = dataset
        preview = list(islice(selectors.tabular_rows(csv_dist), PREVIEW_ROWS))
    base = request.build_absolute_uri("/").rstrip("/")
    context = {
        "dataset": dataset,
        "spec": spec,
        "title": bilingual(spec.title_el, spec.title_en),
        "description": bilingual(spec.description_el, spec.description_en),
        "themes": [bilingual(*THEMES[t]) for t in spec.themes],
        "hvd": bilingual(*HVD_CATEGORIES[spec.hvd_category]) if spec.hvd_category else "",
        "columns": [(c.name, bilingual(c.description_el, c.description_en)) for c in spec.columns],
        "preview": [[row.get(c.name) for c in spec.columns] for row in preview],
        "chart": _chart(preview, *spec.chart) if spec.chart else [],
        "chart_spec": spec.chart,
        "chart_height": 20 * PREVIEW_ROWS,
        "distributions": dists,
        "api_call": f"{base}/api/3/action/package_show?id={dataset.name}",
        "datastore_call": f"{base}/api/3/action/datastore_search?resource_id={csv_dist.resource_id}&limit=5"
        if csv_dist
        else "",
        "versions": list(selectors.dataset_versions(dataset)[:10]),
        "licence_title": LICENCE_TITLE,
        "licence_url": LICENCE_URL,
    }
    return render(request, "opendata/dataset.html", context)


def _file(dist: Distribution, name: str) -> FileResponse:
    media = FORMATS[dist.format][0]
    path = media_path(dist.path)
    if not path.exists():
        raise Http404("The file of this version is no longer kept.")
    response = FileResponse(path.open("rb"), content_type=f"{media}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{FORMATS[dist.format][2]}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Digest"] = f"sha-256={dist.sha256}"
    return response


@require_GET
def download(request: HttpRequest, name: str, fmt: str, number: int | None = None) -> FileResponse:
    dataset = _dataset_or_404(request, name)
    wanted = {k.lower(): k for k in FORMATS}.get(fmt)
    if wanted is None:
        raise Http404("Unknown format.")
    versions = dataset.versions.all()
    version = versions.filter(number=number).first() if number is not None else dataset.current
    dist = Distribution.objects.filter(version=version, format=wanted).first() if version else None
    if dist is None:
        raise Http404("No such file.")
    return _file(dist, dataset.name if number is None else f"{dataset.name}-v{number}")


@require_GET
def catalogue(request: HttpRequest, suffix: str | None = None) -> HttpResponse:
    """The DCAT-AP catalogue; Turtle, RDF/XML or JSON-LD by suffix or by the Accept header."""
    if suffix is None:
        accept = request.headers.get("Accept", "")
        suffix = next((s for media, s in ACCEPT if media in accept), "ttl")
    base = request.build_absolute_uri("/").rstrip("/")
    graph = dcat.catalogue_graph(base, _scope(request))
    data, media = dcat.serialise(graph, suffix)
    response = HttpResponse(data, content_type=f"{media}; charset=utf-8")
    response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    response["Link"] = f'<{reverse("opendata:catalogue")}>; rel="canonical"'
    return response
