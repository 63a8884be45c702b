"""The HSDS tabular data package: every row of every CSV validates against the standard's per-table schema."""

import csv
import io
import json
import zipfile

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from tests.opendata.conftest import schema

pytestmark = pytest.mark.django_db

SCHEMA_OF = {
    "organizations": "organization.json", "organization_identifiers": "organization_identifier.json",
    "services": "service.json", "locations": "location.json", "service_at_locations": "service_at_location.json",
    "addresses": "address.json", "phones": "phone.json", "schedules": "schedule.json", "languages": "language.json",
    "taxonomies": "taxonomy.json", "taxonomy_terms": "taxonomy_term.json", "attributes": "attribute.json",
}
SCALARS = ("string", "number", "integer", "boolean")


def tabular_validator(name):
    """The table's schema as its CSV rows read: scalar columns only, ``tabular_required`` required too."""
    table = schema(name)
    properties = {key: prop for key, prop in table["properties"].items() if prop.get("type") in SCALARS}
    required = [key for key in [*table.get("required", []), *table.get("tabular_required", [])] if key in properties]
    flat = {"type": "object", "properties": properties, "required": required}
    return Draft202012Validator(flat, format_checker=FormatChecker()), properties


def typed(row, properties):
    """A CSV row as the JSON it stands for: empty cells absent, numbers as numbers."""
    values = {}
    for key, text in row.items():
        if text == "":
            continue
        kind = properties.get(key, {}).get("type")
        values[key] = float(text) if kind == "number" else int(text) if kind == "integer" else text
    return values


def read_package(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    descriptor = json.loads(archive.read("datapackage.json"))
    tables = {}
    for resource in descriptor["resources"]:
        text = archive.read(resource["path"]).decode("utf-8")
        tables[resource["name"]] = list(csv.DictReader(io.StringIO(text)))
        header = next(csv.reader(io.StringIO(text)))
        assert header == [field["name"] for field in resource["schema"]["fields"]], resource["name"]
    return descriptor, tables


def test_every_row_of_every_table_validates_and_every_reference_resolves(public_data, client):
    response = client.get("/api/hsds/datapackage.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    descriptor, tables = read_package(response.content)
    assert descriptor["profile"] == "tabular-data-package" and set(tables) == set(SCHEMA_OF)
    for name, rows in tables.items():
        validator, properties = tabular_validator(SCHEMA_OF[name])
        for index, row in enumerate(rows, start=2):
            problems = [error.message for error in validator.iter_errors(typed(row, properties))]
            assert problems == [], f"{name}.csv line {index}: {problems}"
        ids = [row["id"] for row in rows]
        assert len(ids) == len(set(ids)), f"{name}.csv repeats an id"
    ids = {name: {row["id"] for row in rows} for name, rows in tables.items()}
    for row in tables["services"]:
        assert row["organization_id"] in ids["organizations"]
    for row in tables["service_at_locations"]:
        assert row["service_id"] in ids["services"] and row["location_id"] in ids["locations"]
    for row in tables["schedules"]:
        assert row["service_at_location_id"] in ids["service_at_locations"]
    for row in tables["attributes"]:
        assert row["taxonomy_term_id"] in ids["taxonomy_terms"] and row["link_id"] in ids["services"]
    for row in tables["taxonomy_terms"]:
        assert row["taxonomy_id"] in ids["taxonomies"]
    for row in tables["addresses"]:
        assert row["location_id"] in ids["locations"]
    api_total = client.get("/api/hsds/services?per_page=1").json()["total_items"]
    assert len(tables["services"]) == api_total > 0
