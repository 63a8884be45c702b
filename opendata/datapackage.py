"""The HSDS tabular data package: one CSV per table plus ``datapackage.json``, zipped.

Columns and field types come from the standard's per-table schemas (``opendata/hsds/``), in their order, so
the CSVs have every column of each table (empty where the portal has no value). The zip is built from the
same mapping as the API and kept in the shared cache under the public data's version and the local date
(``core.caching``: any save of a public record retires it), so it is rebuilt on the first download after data
changes and served from the cache until then.
"""

import csv
import io
import json
import zipfile
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.utils import timezone
from django.utils.translation import override

from core.caching import public_version
from core.opening import local_now
from opendata import mapping, selectors, taxonomy

SCHEMAS = Path(__file__).with_name("hsds")

#: (table file stem, schema file) in the order of the package.
TABLES = (
    ("organizations", "organization"),
    ("organization_identifiers", None),
    ("services", "service"),
    ("locations", "location"),
    ("service_at_locations", "service_at_location"),
    ("addresses", "address"),
    ("phones", "phone"),
    ("schedules", "schedule"),
    ("languages", "language"),
    ("taxonomies", "taxonomy"),
    ("taxonomy_terms", "taxonomy_term"),
    ("attributes", "attribute"),
)
# organization_identifier.json is not vendored: its columns are few and fixed.
IDENTIFIER_FIELDS = [
    {"name": "id", "type": "string", "format": "uuid"},
    {"name": "organization_id", "type": "string", "format": "uuid"},
    {"name": "identifier_scheme", "type": "string"},
    {"name": "identifier_type", "type": "string"},
    {"name": "identifier", "type": "string"},
]


@cache
def table_schema(name):
    """The standard's schema of one table."""
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def _field(prop):
    """A Table Schema field from a property of an HSDS table schema."""
    kind = prop.get("datapackage_type") or prop["type"]
    field = {"name": prop["name"], "type": kind}
    if prop.get("format") in ("uuid", "uri", "email"):
        field["format"] = prop["format"] if kind == "string" else "default"
    if prop.get("title"):
        field["title"] = prop["title"]
    constraints = {}
    if prop.get("enum"):
        constraints["enum"] = prop["enum"]
    if prop.get("constraints", {}).get("unique"):
        constraints["unique"] = True
    if constraints:
        field["constraints"] = constraints
    return field


@cache
def table_fields(stem):
    """The scalar columns of a table (nested arrays and objects are tables of their own)."""
    schema_name = dict(TABLES)[stem]
    if schema_name is None:
        return IDENTIFIER_FIELDS
    schema = table_schema(schema_name)
    return [
        _field(prop) for prop in schema["properties"].values()
        if prop.get("type") in ("string", "number", "integer", "boolean") and "name" in prop
    ]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Tables:
    """Rows of every table, collected from the API's objects (one place decides what is published)."""

    def __init__(self):
        self.rows = {stem: {} for stem, _schema in TABLES}

    def add(self, stem, obj):
        columns = [field["name"] for field in table_fields(stem)]
        self.rows[stem].setdefault(obj["id"], {name: obj.get(name) for name in columns})

    def add_service(self, record, context):
        full = mapping.service_full(record, context)
        organization = full["organization"]
        self.add("organizations", organization)
        for identifier in organization.get("organization_identifiers", []):
            self.add("organization_identifiers", identifier)
        self.add("services", full)
        for phone in full["phones"]:
            self.add("phones", phone)
        for language in full["languages"]:
            self.add("languages", language)
        for attribute in full["attributes"]:
            self.add("attributes", attribute)
        for sal in full["service_at_locations"]:
            self.add("service_at_locations", sal)
            place = sal["location"]
            self.add("locations", place)
            for address in place["addresses"]:
                self.add("addresses", address)
            for schedule in sal["schedules"]:
                self.add("schedules", schedule)

    def csv_bytes(self, stem):
        columns = [field["name"] for field in table_fields(stem)]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for row in self.rows[stem].values():
            writer.writerow([_cell(row.get(name)) for name in columns])
        return buffer.getvalue().encode("utf-8")


def descriptor(base_url, created):
    return {
        "name": "hsds-community-services",
        "title": f"{settings.CITY_NAME}社区服务设施目录（HSDS 3.0）",
        "description": "社区综合服务设施、养老服务设施和志愿服务队的公开信息，按 Open Referral 人类服务数据规范 3.0 的表格格式发布。",
        "profile": "tabular-data-package",
        "version": mapping.HSDS_VERSION,
        "created": created,
        "homepage": f"{base_url}/open-data/",
        "language": mapping.LANGUAGE,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": [
            {
                "name": stem,
                "path": f"{stem}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": table_fields(stem), "primaryKey": "id"},
            }
            for stem, _schema in TABLES
        ],
    }


def build(base_url):
    """The zip's bytes, from every public record."""
    today = local_now().date()
    context = mapping.Context(base_url=base_url, today=today, holidays=mapping.calendar_from(today))
    tables = Tables()
    with override("zh-hans"):
        for record in selectors.all_records():
            tables.add_service(record, context)
        for street in selectors.streets():
            tables.add("organizations", mapping.office(street))
            for identifier in mapping.office(street)["organization_identifiers"]:
                tables.add("organization_identifiers", identifier)
        for tax in taxonomy.TAXONOMIES:
            tables.add("taxonomies", mapping.taxonomy_object(tax, context))
        for term in taxonomy.all_terms():
            tables.add("taxonomy_terms", mapping.term_object(term))
    created = timezone.localtime().replace(microsecond=0).isoformat()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json", json.dumps(descriptor(base_url, created), ensure_ascii=False, indent=2).encode()
        )
        for stem, _schema in TABLES:
            archive.writestr(f"{stem}.csv", tables.csv_bytes(stem))
    return buffer.getvalue()


def current(base_url, entry):
    """``(zip bytes, ETag, Last-Modified)`` for the current public data, built at most once per data version,
    day and host (``entry`` makes the ETag and Last-Modified, as for the API's answers)."""
    key = f"public:opendata:datapackage:v{public_version()}:{local_now():%Y%m%d}:{base_url}"
    cached = shared_cache.get(key)
    if cached is None:
        body, _type, etag, since = entry(build(base_url), "application/zip")
        cached = (body, etag, since)
        shared_cache.set(key, cached, 24 * 3600)
    return cached
