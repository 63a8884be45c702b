"""The permission matrix for dora, the district reviewer (区县民政局审核员) of 鸡冠区.

The module's world has one district with both streets, so dora reads what rita (the city reviewer) reads,
except on the rows written out below: city-wide and bureau-only pages, and the reporting steps that belong to
the district (approve, return, reopen) rather than the city (accept). Another district's records are a 404
for her (tests/reporting/test_pages.py, with a second district).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.security.test_permission_matrix import DENIED, GET, POST, RESIDENT_POSTS, _rows, writes
from tests.security.world import DORA, World, sign_in

#: (method, url) → dora's status where it differs from rita's, with the reason.
DORA_DIFFERS = {
    # the district's own step: dora approves her streets' submitted months; the city accepts (rita, adam)
    (POST, "/reporting/{street_b_code}/2025-06/approve/"): 302,
    (POST, "/reporting/{street_b_code}/2025-06/accept/"): 403,
    # city-wide work of the bureau: snapshots, the workbook of the whole city, ratings
    (GET,  "/compliance/snapshots/"): 403,
    (POST, "/compliance/snapshots/"): 403,
    (GET,  "/compliance/snapshots/{snapshot}/"): 403,
    (GET,  "/exchange/export/"): 403,
    (POST, "/workspace/ratings/{rating_a}/review/"): 403,
    (POST, "/workspace/ratings/{rating_b}/review/"): 403,
    # the plan's timeline (trends, comparisons, stored months, evaluation reports and their jobs): the city bureau's
    (GET,  "/compliance/trend/F1/"): 403,
    (GET,  "/compliance/trend/X9/"): 403,
    (GET,  "/compliance/compare/?a=snapshot:{snapshot}&b=today"): 403,
    (GET,  "/compliance/months/"): 403,
    (POST, "/compliance/months/"): 403,
    (GET,  "/compliance/reports/"): 403,
    (GET,  "/compliance/reports/?year=2023&month=2025-01"): 403,
    (GET,  "/compliance/reports/?year=2023&district={district_code}&month=2025-01"): 403,
    (POST, "/compliance/reports/start/"): 403,
    (GET,  "/compliance/jobs/{job}/"): 403,
    (GET,  "/compliance/jobs/{job}/download/"): 403,
    # the city's configuration and accounts in the admin: bureau staff only
    (GET,  "/admin/compliance/"): 404,
    (GET,  "/admin/reporting/"): 404,
    (GET,  "/admin/reporting/validationrule/"): 403,
    (GET,  "/admin/reporting/validationrule/{validationrule}/change/"): 403,
    (GET,  "/admin/reporting/validationrule/{validationrule}/history/"): 403,
    (GET,  "/admin/autocomplete/?app_label=eldercare&model_name=elderaccesslog&field_name=user&term="): 403,
    (GET,  "/admin/core/user/"): 403,
    (GET,  "/admin/core/user/{user_a}/change/"): 403,
    (GET,  "/admin/core/user/{user_b}/change/"): 403,
    (GET,  "/admin/core/user/{user_a}/history/"): 403,
    (GET,  "/admin/core/holiday/"): 403,
    (GET,  "/admin/core/holiday/{holiday}/change/"): 403,
    (GET,  "/admin/core/holiday/{holiday}/history/"): 403,
    (GET,  "/admin/core/importbatch/"): 403,
    (GET,  "/admin/core/importbatch/{importbatch}/change/"): 403,
    (GET,  "/admin/core/importbatch/{importbatch}/history/"): 403,
    (GET,  "/admin/eldercare/elderaccesslog/"): 403,
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_a}/change/"): 403,
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_b}/change/"): 403,
    (GET,  "/admin/volunteers/servicefield/"): 403,
    (GET,  "/admin/volunteers/servicefield/{servicefield}/change/"): 403,
    (GET,  "/admin/volunteers/servicefield/{servicefield}/history/"): 403,
    (GET,  "/admin/compliance/plan/"): 403,
    (GET,  "/admin/compliance/plan/{plan}/change/"): 403,
    (GET,  "/admin/compliance/plan/{plan}/history/"): 403,
    (GET,  "/admin/compliance/plan/{plan}/history/{plan_h}/"): 403,
    (GET,  "/admin/compliance/target/"): 403,
    (GET,  "/admin/compliance/target/{target}/change/"): 403,
    (GET,  "/admin/compliance/target/{target}/history/"): 403,
    (GET,  "/admin/compliance/target/{target}/history/{target_h}/"): 403,
}


CASES = [
    pytest.param(method, url, DORA_DIFFERS.get((method, url), statuses[3]), data, id=f"{method} {url}")
    for method, url, statuses, data in _rows()
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with World(django_db_blocker) as built:
        yield built


@pytest.mark.parametrize(("method", "url", "status", "data"), CASES)
def test_district_reviewer_matrix(db, world, client, method, url, status, data):
    sign_in(client, world, DORA)
    path = url.format(**world["ids"])
    denied_post = method == POST and status in DENIED and url not in RESIDENT_POSTS
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, data or {}) if method == POST else client.get(path)
    assert response.status_code == status, f"dora {method} {path}"
    if denied_post:
        assert writes(queries.captured_queries) == [], f"dora's refused {method} {path} wrote to the database"


def test_rows_name_known_urls():
    known = {(method, url) for method, url, _statuses, _data in _rows()}
    assert set(DORA_DIFFERS) <= known
