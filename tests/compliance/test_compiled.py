"""``core.compiled`` runs SQL compiled by the ORM's internals: pinned here to the Django it was checked with.

When Django is upgraded this file fails first (the version check). Look again at ``compiled.Prepared``:
that ``get_compiler().as_sql()``, ``extra_select``/``values_select``/``annotation_select``, ``select``/``col_count``
and ``get_converters`` still behave as the behaviour tests below expect; then move ``CHECKED_WITH``.
"""

from datetime import date
from decimal import Decimal

import django
import pytest
from django.db.models import Count, Sum

from compliance.board import board_queries
from compliance.kinds import Context, Indicator
from compliance.rules import INDICATORS
from core.compiled import CHECKED_WITH, Prepared
from core.dates import last_full_month
from core.models import Division
from core.scoping import division_q
from facilities.models import Centre
from tests.demo_city import seed as seed_demo_city
from tests.security.world import World


def test_compiled_queries_were_checked_with_this_django_release():
    assert django.VERSION[:2] == CHECKED_WITH, (
        f"Django {django.get_version()}: re-check core/compiled.py against the ORM's compiler, "
        f"then set CHECKED_WITH = {django.VERSION[:2]}"
    )


def test_prepared_rows_are_the_querysets_own_rows_with_djangos_conversions(city, make_centre):
    make_centre(city["community_a"], total="120.50", activity="100")
    make_centre(city["community_a"], total="80.25", activity="50")
    queryset = (
        Centre.objects.operating().order_by().values("community")
        .annotate(group=Count("pk"), area=Sum("total_area"))
    )
    expected = {row["community"]: row for row in queryset}
    rows = Prepared(queryset, key="community").rows()
    assert rows == expected
    [row] = rows.values()
    # Converted as Django converts (SQLite returns the sum as a float or text without the converters).
    assert row["area"] == Decimal("200.75") and isinstance(row["area"], Decimal)


def test_prepared_reads_the_data_afresh_and_an_empty_where_reads_nothing(city, make_centre):
    queryset = Centre.objects.operating().order_by().values("community").annotate(n=Count("pk"))
    prepared = Prepared(queryset, key="community")
    assert prepared.rows() == {}
    make_centre(city["community_a"])
    assert prepared.rows() == {city["community_a"].pk: {"community": city["community_a"].pk, "n": 1}}
    nothing = Division.objects.filter(pk__in=[]).values("level").annotate(n=Count("pk"))
    assert Prepared(nothing, key="level").rows() == {}  # EmptyResultSet: no query at all


def test_every_board_query_compiles_on_this_database(city, django_assert_max_num_queries):
    queries = board_queries(tuple(INDICATORS), date(2025, 6, 1), None, "district")
    with django_assert_max_num_queries(len(queries)):
        rows = {name: query.rows() for name, query in queries.items()}
    assert set(rows) == {"communities", "streets", "districts", "centres", "workers", "institutions", "elders"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with World(django_db_blocker, build=lambda: seed_demo_city() or {}) as built:
        yield built


def _listed(indicator, ctx, within):
    """What ``units(failing_only=True)`` listed before it read compiled ids: the queryset, filtered."""
    queryset = indicator.base(ctx).filter(division_q(indicator.model, within)).filter(passes=False)
    return [(unit.pk, indicator.label(unit), indicator.unit_passed(unit), indicator.reason(unit, ctx))
            for unit in indicator.related(queryset)]


def test_failing_units_read_by_compiled_ids_are_the_querysets_own_in_every_division(demo, db, monkeypatch):
    compiled = []
    original = Prepared._compile
    monkeypatch.setattr(Prepared, "_compile", lambda self, connection: compiled.append(self) or original(self, connection))
    ctx = Context(month=last_full_month())
    divisions = [*Division.objects.districts(), *Division.objects.streets(), *Division.objects.communities()[:5]]
    indicators = [i for i in INDICATORS.values() if i.has_units and type(i).units is Indicator.units]
    listed = 0
    for indicator in indicators:
        for division in divisions:
            units = indicator.units(ctx, division, failing_only=True)
            assert [(u.obj.pk, u.label, u.passed, u.reason) for u in units] == _listed(indicator, ctx, division), (
                indicator.code, division.code)
            listed += len(units)
    assert listed > 10  # the demo city has failing units to list
    # One compiled query per indicator and level, whatever the number of divisions.
    assert len(compiled) <= len(indicators) * 3
