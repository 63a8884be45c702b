"""Every response of every endpoint validates against the HSDS 3.0 schemas (../shared/hsds-3.0), over the demo city
and over the shared sample workbook."""

import pytest

from tests.opendata.conftest import errors_of, page_schema_errors, schema

pytestmark = pytest.mark.django_db

LISTS = [
    ("/api/hsds/services", "compiled/service_list.json"),
    ("/api/hsds/services?full=true", "compiled/service_list.json"),
    ("/api/hsds/services?minimal=true", "compiled/service_list.json"),
    ("/api/hsds/service_at_locations", "compiled/service_at_location_list.json"),
    ("/api/hsds/service_at_locations?full=true", "compiled/service_at_location_list.json"),
    ("/api/hsds/organizations", "compiled/organization_list.json"),
    ("/api/hsds/organizations?full=true&full_service=true", "compiled/organization_list.json"),
    ("/api/hsds/taxonomies", "taxonomy.json"),
    ("/api/hsds/taxonomy_terms", "taxonomy_term.json"),
]


def _all_pages(client, url):
    """Every page of a list, 100 a page."""
    joiner = "&" if "?" in url else "?"
    pages, number = [], 1
    while True:
        response = client.get(f"{url}{joiner}per_page=100&page={number}")
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        pages.append(body)
        if body["last_page"]:
            return pages
        number += 1


@pytest.mark.parametrize(("url", "item_schema"), LISTS)
def test_every_page_of_every_list_validates(public_data, client, url, item_schema):
    pages = _all_pages(client, url)
    assert pages[0]["total_items"] > 0
    for body in pages:
        assert page_schema_errors(item_schema, body) == []
    assert sum(body["size"] for body in pages) == pages[0]["total_items"]


def test_the_root_validates_against_the_openapi_document(public_data, client):
    from jsonschema import Draft202012Validator

    body = client.get("/api/hsds/").json()
    root = schema("openapi.json")["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert list(Draft202012Validator(root).iter_errors(body)) == []
    assert body["version"] == "3.0"


def test_every_detail_validates(public_data, client):
    services = [item["id"] for body in _all_pages(client, "/api/hsds/services") for item in body["contents"]]
    for service_id in services:
        body = client.get(f"/api/hsds/services/{service_id}").json()
        assert errors_of("compiled/service.json", body) == [], service_id
        sal = body["service_at_locations"][0]["id"]
        assert errors_of("compiled/service_at_location.json", client.get(f"/api/hsds/service_at_locations/{sal}").json()) == []
    organizations = [item["id"] for body in _all_pages(client, "/api/hsds/organizations") for item in body["contents"]]
    for org_id in organizations[:40]:
        for suffix in ("", "?full_service=true"):
            body = client.get(f"/api/hsds/organizations/{org_id}{suffix}").json()
            assert errors_of("compiled/organization.json", body) == [], org_id
    for url, item_schema in (("/api/hsds/taxonomies", "taxonomy.json"), ("/api/hsds/taxonomy_terms", "taxonomy_term.json")):
        for item in client.get(url + "?per_page=1000").json()["contents"]:
            assert errors_of(item_schema, client.get(f"{url}/{item['id']}").json()) == []


def test_the_validation_finds_what_breaks_the_standard():
    broken = {"id": "not-a-uuid", "name": "x", "status": "open", "phones": [{"id": "00000000-0000-0000-0000-000000000000"}]}
    problems = errors_of("compiled/service.json", broken)
    assert any("not-a-uuid" in p for p in problems)
    assert any("open" in p for p in problems)
    assert any("number" in p for p in problems)
