"""core.bulk's JSON rows: a value already as the database stores it goes in as it is, any other through
the field's own preparation — and either way it reads back the same."""

import datetime
import decimal

import pytest
from django.db import connection
from django.utils import timezone

from core.bulk import STATISTICS_AFTER_ROWS, _converter, _payload, _values_of, insert_values, listed, refresh_statistics
from eldercare.models import Visit
from facilities.models import Centre


def test_plain_values_pass_and_the_others_are_prepared():
    name, area = (_converter(Centre._meta.get_field(field)) for field in ("name", "total_area"))
    station, community = (_converter(Centre._meta.get_field(field)) for field in ("has_volunteer_station", "community"))
    assert name("和平社区") == "和平社区"
    assert station(True) is True
    assert community(7) == 7 and community(None) is None
    prepared = area(decimal.Decimal("350.50"))
    assert prepared == Centre._meta.get_field("total_area").get_db_prep_save(decimal.Decimal("350.50"), connection)
    # Not the stored type: the field prepares it (a yes/no given as 1, a whole number given as text).
    assert station(1) is True
    assert _converter(Centre._meta.get_field("version"))("3") == 3


def test_the_payload_names_each_value_as_the_database_stores_it():
    visit = Visit(elder_id=4, visited_on=datetime.date(2025, 6, 30))
    fields = [Visit._meta.get_field("elder"), Visit._meta.get_field("visited_on")]
    assert _payload(["v0", "v1"], fields, _values_of([visit], fields)) == '[{"v0": 4, "v1": "2025-06-30"}]'
    # a plan's kept values (an ISO date as text) come out the same; the leading values as they are
    assert _payload(["pk", "v0", "v1"], fields, [[9, 4, "2025-06-30"]], leading=1) == '[{"pk": 9, "v0": 4, "v1": "2025-06-30"}]'


@pytest.mark.django_db
def test_a_first_load_refreshes_the_planner_statistics_of_its_table_inside_the_transaction():
    """PostgreSQL: ``ANALYZE`` once a write added more rows than the statistics know of (planned for an empty
    table, the kept figures' refresh after an import took 1 s instead of 20 ms), never for a few rows."""
    from core.models import Division

    assert refresh_statistics(Division, STATISTICS_AFTER_ROWS - 1) is False
    if connection.vendor != "postgresql":
        assert refresh_statistics(Division, 10 ** 6) is False  # SQLite plans without them
        return
    insert_values(Division, [[f"2399{n:08d}", f"基准{n}", "district", "district", 1] for n in range(1500)],
                  ["code", "name", "level", "kind", "version"],
                  extra={"created_at": timezone.now(), "updated_at": timezone.now()})

    def known():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'core_division'::regclass")
            return cursor.fetchone()[0]

    assert known() < 1500
    assert refresh_statistics(Division, 1500) is True
    assert known() >= 1500  # the transaction's own rows are counted
    assert refresh_statistics(Division, 1500) is False  # now known: not again


@pytest.mark.django_db
def test_a_json_list_of_keys_is_one_parameter():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({listed('bigint')}) AS listed", ["[3, 5, 8]"])  # noqa: S608
        assert cursor.fetchone()[0] == 3
