"""On PostgreSQL the SQL compiled once a process (``core.compiled``) runs as prepared statements: planned once per
connection, bound to each request's values on the server, and logged with the values written in like any other
query."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import CentreFactory, FacilityFactory, TeamFactory

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


def _plans(fragment):
    """``(generic, custom)`` plans PostgreSQL has made for this session's prepared statements holding ``fragment``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE NOT from_sql")
        found = [(generic, custom) for statement, generic, custom in cursor.fetchall() if fragment in statement]
    assert found, fragment
    return tuple(map(sum, zip(*found, strict=True)))


def test_a_detail_pages_record_keeps_one_generic_plan(city, client):
    """Read by its id, a record's statement is planned once per connection, not once per request: after five runs
    planned for their values PostgreSQL keeps its generic plan (``plan_cache_mode`` left at ``auto``)."""
    centre = CentreFactory(community=city["community_a"])
    for _ in range(8):
        assert client.get(f"/facilities/{centre.pk}/").status_code == 200
    generic, custom = _plans('FROM "facilities_centre"')
    assert custom == 5 and generic == 3


def test_a_lists_constants_are_written_in_so_that_its_plan_is_kept(city, client):
    """``status = 'operating'`` bound as a parameter reads as "any status", and the generic plan of a list's page
    sorted the whole table: PostgreSQL planned every run. Written into the SQL, the generic plan is the good one
    and is kept."""
    CentreFactory(community=city["community_a"], name="开放中心")
    CentreFactory(community=city["community_a"], name="关闭中心", status="closed")
    for _ in range(7):
        page = client.get("/facilities/").content.decode()
    assert "开放中心" in page and "关闭中心" not in page
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        lists = [statement for (statement,) in cursor.fetchall()
                 if 'FROM "facilities_centre"' in statement and "LIMIT" in statement]
    assert lists and all("= 'operating'" in statement for statement in lists), lists
    generic, _custom = _plans("= 'operating'")
    assert generic > 0


def test_written_in_quotes_the_constants_and_keeps_the_stand_ins():
    from core.compiled import TEXT_STAND_IN, written_in

    sql, params = written_in(connection, "SELECT %s, %s, %s, '100%%', %s", ["it's 50%", TEXT_STAND_IN + "-0", 7, True])
    assert params == [TEXT_STAND_IN + "-0", 7]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchone() == ("it's 50%", TEXT_STAND_IN + "-0", 7, "100%", True)
    pattern = f"%{TEXT_STAND_IN}-1-0%"  # a search's pattern, LIKE's wildcards around it
    assert written_in(connection, "SELECT %s", [pattern]) == ("SELECT %s", [pattern])


@pytest.mark.django_db(transaction=True)
def test_the_one_search_is_planned_for_its_words_every_time(city):
    """A generic plan can't see a word's selectivity (at 40× it read the whole table for a rare one): the search's
    statement stays prepared and is planned for each run's words (``PLANNED_PER_RUN``), and the setting that asks
    for it ends with the statement's implicit transaction (no test transaction around it here; read in one
    connection, as a kept one of a server: the test client's requests close theirs)."""
    from portal.search import search

    CentreFactory(community=city["community_a"], name="阳光中心")
    CentreFactory(community=city["community_a"], name="星光中心")
    for word in ["阳光", "星光", "月光", "阳光", "星光", "中心", "阳光", "星光"]:
        _terms, groups = search(word, kind="centre")
    assert [centre.name for centre in groups[0].items] == ["星光中心"]
    generic, custom = _plans('"_matches"')
    assert generic == 0 and custom >= 8
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('plan_cache_mode')")
        assert cursor.fetchone() == ("auto",)


def test_the_overview_sends_its_three_kinds_in_one_round_trip(city, monkeypatch):
    """The one search's overview plans each kind's statement for its words: all three go in one pipeline after one
    ``SET LOCAL`` (``core.compiled.records_together``), and each kind reads what it reads alone."""
    from core import compiled
    from portal.search import search

    CentreFactory(community=city["community_a"], name="阳光中心")
    FacilityFactory(division=city["community_a"], name="阳光日间照料")
    TeamFactory(community=city["community_a"], name="阳光志愿队")
    CentreFactory(community=city["community_b"], name="星光中心")
    alone = {kind: [item.name for item in search("阳光", kind=kind)[1][0].items] for kind in ("centre", "facility", "team")}
    sent, real = [], compiled._planned_per_run
    monkeypatch.setattr(compiled, "_planned_per_run", lambda connection, runs: (sent.append(len(runs)), real(connection, runs)))
    _terms, groups = search("阳光")
    assert sent == [3]
    assert {group.kind: [item.name for item in group.items] for group in groups} == alone
    assert alone == {"centre": ["阳光中心"], "facility": ["阳光日间照料"], "team": ["阳光志愿队"]}
