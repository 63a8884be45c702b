"""On PostgreSQL the SQL compiled once a process (``core.compiled``) runs as prepared statements: planned once per
connection, bound to each request's values on the server, and logged with the values written in like any other
query."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import CentreFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements: the PostgreSQL run"),
]


@pytest.fixture(autouse=True)
def pages_rendered(settings):
    settings.PUBLIC_PAGE_CACHE = False  # every request reads the database


def _prepared():
    """The statements this session has prepared through the protocol (psycopg's), not with SQL ``PREPARE``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return {row[0] for row in cursor.fetchall()}


def test_a_detail_pages_reads_are_prepared_and_bound_to_each_record(city, client):
    first = CentreFactory(community=city["community_a"], name="第一中心")
    second = CentreFactory(community=city["community_b"], name="第二中心")
    before = _prepared()
    assert "第一中心" in client.get(f"/facilities/{first.pk}/").content.decode()
    kept = _prepared() - before
    assert any("facilities_centre" in statement and "$1" in statement for statement in kept), kept
    page = client.get(f"/facilities/{second.pk}/").content.decode()
    assert "第二中心" in page and "第一中心" not in page  # the same statements, the second record's values
    assert _prepared() - before == kept  # nothing prepared again


def test_prepared_statements_are_logged_with_their_values(city, client):
    centre = CentreFactory(community=city["community_a"])
    client.get(f"/facilities/{centre.pk}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/facilities/{centre.pk}/")
    logged = [query["sql"] for query in queries.captured_queries]
    assert any("facilities_centre" in sql and str(centre.pk) in sql for sql in logged), logged
    assert not any("$1" in sql for sql in logged), logged


def test_nothing_is_prepared_when_turned_off(city, client, settings):
    settings.PREPARED_STATEMENTS = False  # behind PgBouncer in transaction mode, or connections not kept
    centre = CentreFactory(community=city["community_a"], name="关闭准备")
    before = _prepared()
    assert "关闭准备" in client.get(f"/facilities/{centre.pk}/").content.decode()
    assert _prepared() <= before


def test_the_compliance_apps_statements_are_not_prepared(city):
    """A save's or an import's kept figures run many distinct statements (``core.compiled``, ``prepare=False``)."""
    from compliance.board import board_queries
    from compliance.rules import INDICATORS
    from core.compiled import Prepared
    from core.models import Division

    before = _prepared()
    queries = board_queries(tuple(sorted(INDICATORS)), date(2025, 6, 1), None, "district")
    assert queries and not any(query.prepare for query in queries.values())
    for query in queries.values():
        query.rows()
    assert Prepared(Division.objects.filter(pk=city["district"].pk).values("code"), prepare=False).records()
    assert _prepared() <= before
