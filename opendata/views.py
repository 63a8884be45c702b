"""The HSDS 3.0 API (``/api/hsds/``), the data package download and the page that explains them."""

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import override

from core.caching import cache_public_page
from core.opening import local_now
from opendata import datapackage, mapping, params, selectors, taxonomy
from opendata.http import _entry, _finish, api_view, dumps, json_error, not_found, rate_limited
from opendata.ids import normalise


def _context(request, *, calendar=True):
    today = local_now().date()
    base = request.build_absolute_uri("/").rstrip("/")
    return mapping.Context(base_url=base, today=today, holidays=mapping.calendar_from(today) if calendar else [])


def _page(items, page):
    return {
        "total_items": page.total_items,
        "total_pages": page.total_pages,
        "page_number": page.page_number,
        "size": len(items),
        "first_page": page.page_number == 1,
        "last_page": page.page_number >= page.total_pages,
        "empty": page.total_items == 0,
        "contents": items,
    }


class _ListPage:
    """A page of an in-memory list (taxonomies and terms are a few dozen)."""

    def __init__(self, rows, page_number, per_page):
        self.total_items, self.page_number, self.per_page = len(rows), page_number, per_page
        start = (page_number - 1) * per_page
        self.records = rows[start:start + per_page]

    @property
    def total_pages(self):
        return -(-self.total_items // self.per_page) if self.total_items else 0


def _ndjson(items):
    response = StreamingHttpResponse((dumps(item) + b"\n" for item in items), content_type="application/x-ndjson")
    response["Content-Disposition"] = "inline"
    return response


@api_view
def about(request):
    return {
        "version": mapping.HSDS_VERSION,
        "profile": request.build_absolute_uri(reverse("opendata:about")) + "#profile",
    }


@api_view
def services(request):
    query = request.GET
    page_number, per_page = params.paging(query)
    filters = params.filters(query)
    minimal, full = params.boolean(query, "minimal"), params.boolean(query, "full")
    context = _context(request, calendar=full)
    if params.output_format(query) == "ndjson":
        return _stream_services(filters, context, minimal, full)
    page = selectors.service_page(filters, page_number, per_page, summary=not full)
    if minimal:
        items = [mapping.service_minimal(record) for record in page.records]
    elif full:
        items = [mapping.service_full(record, context) for record in page.records]
    else:
        items = [mapping.service_summary(record, context) for record in page.records]
    return _page(items, page)


def _stream_services(filters, context, minimal, full):
    def records():
        for kind, make in selectors.KINDS:
            queryset = selectors.filtered(kind, make, filters)
            if queryset is not None:
                yield from queryset.iterator(chunk_size=500)

    def items():
        with override("zh-hans"):
            for record in records():
                if minimal:
                    yield mapping.service_minimal(record)
                elif full:
                    yield mapping.service_full(record, context)
                else:
                    yield mapping.service_summary(record, context)

    return _ndjson(items())


@api_view
def service(request, pk):
    text = normalise(pk)
    record = selectors.record_by_id(text) if text else None
    if record is None:
        return not_found("服务", pk)
    return mapping.service_full(record, _context(request))


@api_view
def service_at_locations(request):
    query = request.GET
    page_number, per_page = params.paging(query)
    filters = params.filters(query, near=True)
    full = params.boolean(query, "full")
    context = _context(request, calendar=full)
    if params.output_format(query) == "ndjson":
        def items():
            with override("zh-hans"):
                for kind, make in selectors.KINDS:
                    queryset = selectors.filtered(kind, make, filters)
                    for record in queryset.iterator(chunk_size=500) if queryset is not None else ():
                        yield mapping.service_at_location(record, context, nested=full, with_service=True)

        return _ndjson(items())
    page = selectors.service_page(filters, page_number, per_page)
    items = [mapping.service_at_location(r, context, nested=full, with_service=True) for r in page.records]
    return _page(items, page)


@api_view
def service_at_location(request, pk):
    text = normalise(pk)
    record = None
    if text:
        for kind, make in selectors.KINDS:
            resolver = selectors.SAL_RESOLVERS[kind]
            found = resolver.pk(text, selectors.highest_pk(kind))
            if found is not None:
                record = make().filter(pk=found).first()
                break
    if record is None:
        return not_found("服务地点", pk)
    return mapping.service_at_location(record, _context(request), nested=True, with_service=True)


def _organization_object(kind, row, context, services, *, full, full_service):
    obj = mapping.office(row) if kind == "office" else mapping.institution(row)
    if not full:
        obj.pop("organization_identifiers", None)
        return obj
    records = services.get(obj["id"], [])
    if full_service:
        obj["services"] = [mapping.service_full(record, context) for record in records]
    else:
        obj["services"] = [mapping.service_minimal(record) for record in records]
    obj |= {"funding": [], "contacts": [], "phones": [], "locations": [], "programs": [], "attributes": []}
    return obj


@api_view
def organizations(request):
    query = request.GET
    page_number, per_page = params.paging(query)
    full, full_service = params.boolean(query, "full"), params.boolean(query, "full_service")
    params.output_format(query)
    context = _context(request, calendar=full and full_service)
    page = selectors.organization_page(query.get("search", "").strip()[:100], page_number, per_page)
    services = selectors.services_of_organizations(page.records) if full else {}
    items = [
        _organization_object(kind, row, context, services, full=full, full_service=full_service)
        for kind, row in page.records
    ]
    return _page(items, page)


@api_view
def organization(request, pk):
    text = normalise(pk)
    found = selectors.organization_by_id(text) if text else None
    if found is None:
        return not_found("机构", pk)
    full_service = params.boolean(request.GET, "full_service")
    context = _context(request, calendar=full_service)
    services = selectors.services_of_organizations([found])
    return _organization_object(*found, context, services, full=True, full_service=full_service)


@api_view
def taxonomies(request):
    query = request.GET
    page_number, per_page = params.paging(query)
    params.output_format(query)
    context = _context(request, calendar=False)
    search = query.get("search", "").strip()
    rows = [t for t in taxonomy.TAXONOMIES if not search or search in t.name or search in t.description]
    page = _ListPage(rows, page_number, per_page)
    return _page([mapping.taxonomy_object(t, context) for t in page.records], page)


@api_view
def taxonomy_detail(request, pk):
    found = taxonomy.taxonomy_by_id(normalise(pk))
    if found is None:
        return not_found("分类体系", pk)
    return mapping.taxonomy_object(found, _context(request, calendar=False))


@api_view
def taxonomy_terms(request):
    query = request.GET
    page_number, per_page = params.paging(query)
    params.output_format(query)
    params.boolean(query, "top_only")  # every term is a top term: the taxonomies are flat
    terms = taxonomy.all_terms()
    search = query.get("search", "").strip()
    if search:
        terms = [t for t in terms if search in t.name or search in t.description]
    if query.get("taxonomy_id", "").strip():
        terms = [t for t in terms if t.taxonomy.id == normalise(query["taxonomy_id"])]
    if query.get("parent_id", "").strip():
        terms = []  # no term has a parent
    page = _ListPage(terms, page_number, per_page)
    return _page([mapping.term_object(t) for t in page.records], page)


@api_view
def taxonomy_term(request, pk):
    found = taxonomy.term_by_id(normalise(pk))
    if found is None:
        return not_found("分类词条", pk)
    return mapping.term_object(found)


def datapackage_zip(request):
    """The HSDS tabular data package: one CSV per table and datapackage.json, zipped; rebuilt when data changes."""
    if request.method not in ("GET", "HEAD"):
        return json_error(405, f"开放数据接口只读，不接受 {request.method} 请求。")
    limited = rate_limited(request)
    if limited is not None:
        return limited
    body, etag, since = datapackage.current(request.build_absolute_uri("/").rstrip("/"), _entry)
    response = _finish(request, body, "application/zip", etag, since)
    if isinstance(response, HttpResponse) and response.status_code == 200:
        response["Content-Disposition"] = 'attachment; filename="hsds-datapackage.zip"'
    return response


@cache_public_page
def about_page(request):
    base = request.build_absolute_uri("/").rstrip("/")
    examples = {
        "root": reverse("opendata:root"),
        "services": reverse("opendata:services") + "?per_page=5",
        "search": reverse("opendata:services") + "?search=%E7%85%A7%E6%96%99",
        "term": reverse("opendata:services") + f"?taxonomy_term_id={taxonomy.TEN_HELP_TERMS['meals'].id}",
        "modified": reverse("opendata:services") + "?minimal=true&modified_after=2026-01-01",
        "full": reverse("opendata:services") + "?full=true&per_page=1",
        "organizations": reverse("opendata:organizations"),
        "sal": reverse("opendata:service_at_locations") + "?postcode=230302001001&proximity=1000",
        "taxonomies": reverse("opendata:taxonomies"),
        "terms": reverse("opendata:taxonomy_terms") + f"?taxonomy_id={taxonomy.TEN_HELPS.id}",
        "datapackage": reverse("opendata:datapackage"),
    }
    terms = taxonomy.all_terms()
    return render(
        request,
        "opendata/about.html",
        {
            "base": base,
            "examples": examples,
            "taxonomies": [(t, [term for term in terms if term.taxonomy is t]) for t in taxonomy.TAXONOMIES],
            "rate_limit": settings.OPENDATA_RATE_LIMIT,
        },
    )
