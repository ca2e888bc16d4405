"""The CKAN Action API (version 3), read-only: the envelope, actions and error shapes of open-data.md.

``/api/3/action/<action>`` and ``/api/action/<action>``; GET parameters or a JSON
body (``ckanapi`` posts JSON). Bad parameters are CKAN's 409 Validation Error with
one key per field, unknown objects its 404 Not Found Error; never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from dimos.core.badinput import bad_request_responder, json_loads
from dimos.opendata import selectors
from dimos.opendata.ckan.dicts import group_dict, organization_dict, package_dict
from dimos.opendata.constants import THEMES
from dimos.opendata.registry import builder_for

ROWS_MAX = 1000
DATASTORE_MAX = 1000
SORTS = {
    "metadata_modified": "current__built_at",
    "metadata_created": "created_at",
    "name": "name",
    "title_string": "name",
    "score": None,
}
FQ_FIELDS = {"organization", "tags", "groups", "res_format", "name"}
FACETS = {"organization", "groups", "tags", "res_format"}


class NotFound(Exception):
    pass


class Invalid(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


class Params:
    def __init__(self, request: HttpRequest) -> None:
        self.data: dict[str, Any] = dict(request.GET.items())
        if request.method == "POST" and request.body:
            try:
                body = json_loads(request.body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise Invalid("body", "Το σώμα του αιτήματος δεν είναι έγκυρο JSON.") from exc
            if not isinstance(body, dict):
                raise Invalid("body", "Το σώμα του αιτήματος πρέπει να είναι αντικείμενο JSON.")
            self.data.update(body)

    def text(self, name: str, default: str = "") -> str:
        value = self.data.get(name, default)
        if value is None:
            return default
        if not isinstance(value, str | int | float):
            raise Invalid(name, "Αναμένεται κείμενο.")
        return str(value)

    def integer(self, name: str, default: int, *, maximum: int | None = None) -> int:
        raw = self.data.get(name, default)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise Invalid(name, "Αναμένεται μη αρνητικός ακέραιος.") from None
        if isinstance(raw, bool) or value < 0:
            raise Invalid(name, "Αναμένεται μη αρνητικός ακέραιος.")
        return min(value, maximum) if maximum is not None else value

    def boolean(self, name: str) -> bool:
        value = self.data.get(name, False)
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "yes", "on"):
            return True
        if str(value).lower() in ("false", "0", "no", "off", ""):
            return False
        raise Invalid(name, "Αναμένεται true ή false.")

    def json_value(self, name: str, default: Any) -> Any:
        value = self.data.get(name, default)
        if isinstance(value, str) and value.strip()[:1] in ("{", "["):
            try:
                return json_loads(value)
            except ValueError:
                raise Invalid(name, "Μη έγκυρο JSON.") from None
        return value

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise Invalid(name, "Λείπει η τιμή.")
        return value


def _scope(request: HttpRequest) -> list:
    return selectors.catalogue_scope(getattr(request, "municipality", None))


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _packages(request: HttpRequest, datasets: list) -> list[dict[str, Any]]:
    dists = selectors.current_distributions(datasets)
    base = _base(request)
    out = []
    for dataset in datasets:
        spec = selectors.spec_of(dataset)
        if spec is not None:
            out.append(package_dict(base, dataset, spec, dists[dataset.pk]))
    return out


def package_list(request: HttpRequest, p: Params) -> Any:
    limit = p.integer("limit", ROWS_MAX, maximum=ROWS_MAX)
    offset = p.integer("offset", 0)
    names = selectors.published_datasets(_scope(request)).values_list("name", flat=True)
    return list(names[offset : offset + limit])


def package_show(request: HttpRequest, p: Params) -> Any:
    dataset = selectors.dataset_lookup(_scope(request), p.required("id"))
    if dataset is None:
        raise NotFound
    return _packages(request, [dataset])[0]


def _parse_fq(fq: str, field: str = "fq") -> selectors.Filters:
    values: dict[str, list[str]] = {}
    for token in _tokens(fq, field):
        name, sep, value = token.lstrip("+").partition(":")
        if not sep or not value or name not in FQ_FIELDS:
            raise Invalid(field, f"Μη υποστηριζόμενο φίλτρο «{token}»: πεδία {', '.join(sorted(FQ_FIELDS))}.")
        values.setdefault(name, []).append(value.strip('"'))
    return selectors.Filters(**{k: tuple(v) for k, v in values.items()})


def _tokens(text: str, field: str) -> list[str]:
    tokens, current, quoted = [], "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
            current += ch
        elif ch.isspace() and not quoted:
            if current:
                tokens.append(current)
            current = ""
        else:
            current += ch
    if quoted:
        raise Invalid(field, "Μη κλεισμένα εισαγωγικά.")
    if current:
        tokens.append(current)
    return tokens


def _order(sort: str) -> list[str]:
    order = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or words[0] not in SORTS or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise Invalid(
                "sort", f"Μη έγκυρη ταξινόμηση «{part.strip()}»: πεδία {', '.join(SORTS)}, asc ή desc."
            )
        column = SORTS[words[0]]
        if column:
            order.append(("-" if len(words) == 2 and words[1] == "desc" else "") + column)
    return [*order, "name"]


def package_search(request: HttpRequest, p: Params) -> Any:
    rows = p.integer("rows", 10, maximum=ROWS_MAX)
    start = p.integer("start", 0)
    q = p.text("q")
    # Field queries may also come in q (``q=tags:noise``), as Solr allows.
    text_terms = [t for t in _tokens(q, "q") if ":" not in t or t in ("*:*",)]
    field_terms = [t for t in _tokens(q, "q") if ":" in t and t != "*:*"]
    filters = _parse_fq(" ".join([p.text("fq"), *field_terms]))
    sort = p.text("sort") or "score desc, metadata_modified desc"
    order = _order(sort)
    facet_fields = p.json_value("facet.field", [])
    if isinstance(facet_fields, str):
        facet_fields = [facet_fields]
    if not isinstance(facet_fields, list) or not all(
        isinstance(f, str) and f in FACETS for f in facet_fields
    ):
        raise Invalid("facet.field", f"Αναμένεται λίστα από: {', '.join(sorted(FACETS))}.")
    qs = selectors.dataset_search(_scope(request), q=" ".join(text_terms), filters=filters).order_by(*order)
    count = qs.count()
    page = list(qs[start : start + rows]) if rows else []
    facets = selectors.search_facets(qs, facet_fields)
    search_facets = {
        field: {
            "title": field,
            "items": [
                {"name": name, "display_name": name, "count": n}
                for name, n in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        }
        for field, values in facets.items()
    }
    return {
        "count": count,
        "results": _packages(request, page),
        "facets": facets,
        "search_facets": search_facets,
        "sort": sort,
    }


def _counts(request: HttpRequest) -> tuple[dict[str, int], dict[str, int]]:
    per_org: dict[str, int] = {}
    per_theme: dict[str, int] = {}
    for slug, themes in selectors.published_datasets(_scope(request)).values_list(
        "municipality__slug", "themes"
    ):
        per_org[slug] = per_org.get(slug, 0) + 1
        for code in themes.split():
            per_theme[code] = per_theme.get(code, 0) + 1
    return per_org, per_theme


def organization_list(request: HttpRequest, p: Params) -> Any:
    per_org, _ = _counts(request)
    orgs = sorted(_scope(request), key=lambda m: m.slug)
    if p.boolean("all_fields"):
        return [organization_dict(m, package_count=per_org.get(m.slug, 0)) for m in orgs]
    return [m.slug for m in orgs]


def organization_show(request: HttpRequest, p: Params) -> Any:
    ident = p.required("id")
    per_org, _ = _counts(request)
    for municipality in _scope(request):
        if ident in (municipality.slug, organization_dict(municipality)["id"]):
            return organization_dict(municipality, package_count=per_org.get(municipality.slug, 0))
    raise NotFound


def group_list(request: HttpRequest, p: Params) -> Any:
    _, per_theme = _counts(request)
    codes = sorted(code for code in THEMES if per_theme.get(code))
    if p.boolean("all_fields"):
        return [group_dict(code, package_count=per_theme[code]) for code in codes]
    return [code.lower() for code in codes]


def group_show(request: HttpRequest, p: Params) -> Any:
    code = p.required("id").upper()
    _, per_theme = _counts(request)
    if code not in THEMES:
        raise NotFound
    return group_dict(code, package_count=per_theme.get(code, 0))


def tag_list(request: HttpRequest, p: Params) -> Any:
    tags: set[str] = set()
    for value in selectors.published_datasets(_scope(request)).values_list("tags", flat=True):
        tags.update(value.split())
    return sorted(tags)


def resource_show(request: HttpRequest, p: Params) -> Any:
    dist = selectors.resource_lookup(_scope(request), p.required("id"))
    if dist is None:
        raise NotFound
    dataset = dist.version.dataset
    package = _packages(request, [dataset])[0]
    return next(r for r in package["resources"] if r["id"] == str(dist.resource_id))


def status_show(request: HttpRequest, p: Params) -> Any:
    municipality = getattr(request, "municipality", None)
    return {
        "site_title": f"Dimos · {municipality.name_el}" if municipality else "Dimos",
        "site_url": _base(request),
        "site_description": "Ανοικτά δεδομένα του δήμου (DCAT-AP 3.0, CKAN API)",
        "ckan_version": "2.10.0",
        "locale_default": "el",
        "extensions": ["datastore", "dcat"],
    }


def site_read(request: HttpRequest, p: Params) -> Any:
    return True


def datastore_search(request: HttpRequest, p: Params) -> Any:
    rid = p.required("resource_id")
    limit = p.integer("limit", 100, maximum=DATASTORE_MAX)
    offset = p.integer("offset", 0)
    dist = selectors.resource_lookup(_scope(request), rid)
    if dist is None:
        raise NotFound
    if dist.format not in ("CSV", "JSON"):
        raise Invalid(
            "resource_id", "Ο πόρος δεν είναι πινακοποιημένος (DataStore): χρησιμοποιήστε τον CSV ή JSON."
        )
    spec = builder_for(dist.version.dataset.key).spec
    names = spec.column_names
    types = {c.name: c.type for c in spec.columns}
    filters = p.json_value("filters", {}) or {}
    if not isinstance(filters, dict):
        raise Invalid("filters", 'Αναμένεται αντικείμενο JSON {"πεδίο": τιμή}.')
    unknown = [k for k in filters if k not in names]
    if unknown:
        raise Invalid("filters", f"Άγνωστα πεδία: {', '.join(unknown)}.")
    wanted = {k: ([str(x) for x in v] if isinstance(v, list) else [str(v)]) for k, v in filters.items()}
    fields = p.json_value("fields", "")
    if isinstance(fields, str):
        fields = [f.strip() for f in fields.split(",") if f.strip()]
    if not isinstance(fields, list) or any(f not in names for f in fields):
        raise Invalid("fields", f"Άγνωστα πεδία: επιτρέπονται {', '.join(names)}.")
    fields = fields or names
    sort_spec = p.text("sort")
    sort_keys = []
    for part in [s for s in sort_spec.split(",") if s.strip()]:
        words = part.split()
        if (
            not words
            or words[0] not in names
            or len(words) > 2
            or (len(words) == 2 and words[1] not in ("asc", "desc"))
        ):
            raise Invalid("sort", f"Μη έγκυρη ταξινόμηση «{part.strip()}».")
        sort_keys.append((words[0], len(words) == 2 and words[1] == "desc"))
    q = selectors.normalize_greek(p.text("q"))
    unfiltered = not wanted and not q and not sort_keys

    def matches(row: dict[str, Any]) -> bool:
        for key, options in wanted.items():
            value = row.get(key)
            if ("" if value is None else str(value)) not in options and not _numeric_match(value, options):
                return False
        return not q or q in selectors.normalize_greek(
            " ".join("" if v is None else str(v) for v in row.values())
        )

    records: list[dict[str, Any]] = []
    total = 0
    rows = selectors.tabular_rows(dist)
    if unfiltered:
        # No filter: stop reading once the page is full; the total is the version's row count.
        total = dist.version.row_count
        for i, row in enumerate(rows):
            if i >= offset + limit:
                break
            if i >= offset:
                records.append({k: row.get(k) for k in fields})
    else:
        matched = [row for row in rows if matches(row)]
        for key, desc in reversed(sort_keys):
            matched.sort(
                key=lambda r, k=key: (r.get(k) is None, r.get(k) if r.get(k) is not None else 0), reverse=desc
            )
        total = len(matched)
        records = [{k: row.get(k) for k in fields} for row in matched[offset : offset + limit]]
    path = request.path
    return {
        "resource_id": str(dist.resource_id),
        "fields": [{"id": f, "type": _ckan_type(types[f])} for f in fields],
        "records": records,
        "total": total,
        "limit": limit,
        "offset": offset,
        "_links": {
            "start": f"{path}?resource_id={rid}",
            "next": f"{path}?resource_id={rid}&offset={offset + limit}",
        },
    }


def _numeric_match(value: Any, options: list[str]) -> bool:
    if not isinstance(value, int | float):
        return False
    try:
        return any(float(o) == value for o in options)
    except ValueError:
        return False


def _ckan_type(kind: str) -> str:
    return {"int": "int", "numeric": "numeric", "timestamp": "timestamp", "date": "date"}.get(kind, "text")


ACTIONS: dict[str, Callable[[HttpRequest, Params], Any]] = {
    f.__name__: f
    for f in (
        package_list,
        package_show,
        package_search,
        organization_list,
        organization_show,
        group_list,
        group_show,
        tag_list,
        resource_show,
        status_show,
        site_read,
        datastore_search,
    )
}


def _envelope(request: HttpRequest, action: str, status: int, **body: Any) -> JsonResponse:
    help_url = request.build_absolute_uri(f"/api/3/action/help_show?name={action}")
    return JsonResponse({"help": help_url, **body}, status=status, json_dumps_params={"ensure_ascii": False})


def _validation(request: HttpRequest, action: str, field: str, message: str) -> JsonResponse:
    error = {"__type": "Validation Error", field: [message]}
    return _envelope(request, action, 409, success=False, error=error)


@csrf_exempt
def action(request: HttpRequest, name: str) -> JsonResponse:
    if request.method not in ("GET", "POST"):
        return _envelope(
            request, name, 405, success=False, error={"__type": "Bad Request", "message": "GET or POST"}
        )
    handler = ACTIONS.get(name)
    if handler is None:
        return _envelope(
            request,
            name,
            400,
            success=False,
            error={"__type": "Bad Request", "message": f"Action name not known: {name}"},
        )
    try:
        result = handler(request, Params(request))
    except NotFound:
        return _envelope(
            request, name, 404, success=False, error={"__type": "Not Found Error", "message": "Not found"}
        )
    except Invalid as exc:
        return _validation(request, name, exc.field, exc.message)
    return _envelope(request, name, 200, success=True, result=result)


def _bad_input(request: HttpRequest, message: str) -> JsonResponse:
    name = request.path_info.rstrip("/").rsplit("/", 1)[-1]
    return _validation(request, name, "input", message)


bad_request_responder("/api/3/")(_bad_input)
bad_request_responder("/api/action/")(_bad_input)
