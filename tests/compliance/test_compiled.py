"""``compliance.compiled`` runs SQL compiled by the ORM's internals: pinned here to the Django it was checked with.

When Django is upgraded this file fails first (the version check). Look again at ``compiled.Prepared``:
that ``get_compiler().as_sql()``, ``extra_select``/``values_select``/``annotation_select``, ``select``/``col_count``
and ``get_converters`` still behave as the behaviour tests below expect; then move ``CHECKED_WITH``.
"""

from datetime import date
from decimal import Decimal

import django
from django.db.models import Count, Sum

from compliance.board import board_queries
from compliance.compiled import CHECKED_WITH, Prepared
from compliance.rules import INDICATORS
from core.models import Division
from facilities.models import Centre


def test_compiled_queries_were_checked_with_this_django_release():
    assert django.VERSION[:2] == CHECKED_WITH, (
        f"Django {django.get_version()}: re-check compliance/compiled.py against the ORM's compiler, "
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
