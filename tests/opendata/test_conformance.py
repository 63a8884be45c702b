"""schemathesis against ../shared/hsds-3.0/openapi.json and the portal's WSGI app, over the demo city.

The one change to the standard's document: ``GET /service_at_locations/{id}`` answers a service at location
(compiled/service_at_location.json), as HSDS 3.0.x corrected it (openreferral/specification PR #574, "Fix
OpenAPI Schema Reference"); the copy in ../shared predates that fix and names compiled/service.json.
"""

import copy
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.conftest import DEEP
from tests.opendata.conftest import HSDS, schema

SAL = "/service_at_locations/{id}"
EXAMPLES = 25 if DEEP else 10  # per operation; 25 under make test-deep (tests/conftest.py)
MEDIA = ("get", "responses", "200", "content", "application/json", "schema")


def corrected_openapi():
    document = copy.deepcopy(schema("openapi.json"))
    target = document["paths"][SAL]
    for key in MEDIA[:-1]:
        target = target[key]
    assert target["schema"] == {"$ref": "./compiled/service.json"}, "the standard's document changed: review this fix"
    target["schema"] = {"$ref": "./compiled/service_at_location.json"}
    return document


def test_the_correction_touches_one_reference_only():
    original, corrected = schema("openapi.json"), corrected_openapi()
    assert original["paths"].keys() == corrected["paths"].keys()
    changed = [path for path in original["paths"] if original["paths"][path] != corrected["paths"][path]]
    assert changed == [SAL]


@pytest.fixture(scope="module")
def hsds_api(demo_city):
    from django.core.wsgi import get_wsgi_application

    loaded = schemathesis.openapi.from_dict(corrected_openapi())
    loaded.location = (HSDS / "openapi.json").as_uri()  # the compiled schemas' $refs are relative to it
    loaded.app = get_wsgi_application()
    loaded.config.update(base_url="http://testserver/api/hsds")
    # The standard types modified_after, proximity, postcode and format as bare strings, but each has a
    # grammar (ISO 8601, metres, a division code, json/ndjson): a value outside it is refused with a 400 that
    # says why (checked by ``refusals_say_why``), rather than silently ignored.
    loaded.config.checks.positive_data_acceptance.expected_statuses = ["2xx", "400", "404"]
    return loaded


@contextmanager
def connection_kept():
    """The WSGI handler closes the database connection after each request, as a server should; the module's
    data lives in a transaction on that connection, so keep it open meanwhile, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CHECKED = {"400": 0, "404": 0}


def refusals_say_why(ctx, response, case):
    """A 400 names the parameter in Chinese; a 404 says that nothing public has the id."""
    if response.status_code == 400:
        detail = response.json()["detail"]
        assert "参数" in detail or "区划代码" in detail, detail
        CHECKED["400"] += 1
    if response.status_code == 404 and response.text.startswith("{"):
        assert "没有" in response.json()["detail"]
        CHECKED["404"] += 1


@pytest.mark.django_db
def test_the_api_conforms_to_the_hsds_openapi_document(hsds_api):
    """Every operation with generated cases and schemathesis's checks: no failure.

    All checks but the documented-status one: the standard documents 200 only, while a generated id that
    names nothing is rightly a 404 and an unreadable ``modified_after`` a 400 (with a Chinese message).
    The next test runs every check, that one included, on ids that exist.
    """
    failures, operations = {}, 0
    for result in hsds_api.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(excluded_checks=[status_code_conformance], additional_checks=[refusals_say_why])

        try:
            with connection_kept():
                run()
        except Exception as error:  # each operation's failure is reported, not just the first
            failures[operation.label] = str(error)[:2000]
    assert operations == 11
    assert failures == {}
    assert CHECKED["400"] and CHECKED["404"], "the generated cases met no refusal: is the check still run?"


DETAILS = {
    "/services/{id}": "/api/hsds/services",
    "/service_at_locations/{id}": "/api/hsds/service_at_locations",
    "/organizations/{id}": "/api/hsds/organizations",
    "/taxonomies/{id}": "/api/hsds/taxonomies",
    "/taxonomy_terms/{id}": "/api/hsds/taxonomy_terms",
}


@pytest.mark.django_db
def test_every_detail_of_real_ids_passes_every_check(hsds_api, client):
    checked = 0
    for result in hsds_api.get_all_operations():
        operation = result.ok()
        if operation.path not in DETAILS:
            continue
        contents = client.get(DETAILS[operation.path] + "?per_page=1000").json()["contents"]
        for item in contents[:: max(len(contents) // 12, 1)]:
            with connection_kept():
                operation.Case(path_parameters={"id": item["id"]}).call_and_validate()
            checked += 1
    assert checked > 40
