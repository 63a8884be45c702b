"""Near me reads each kind through an index of the latitude grid, never a scan of the whole province
(at 60,000 communities the communities' box was a 26 ms sequential scan; 0.8 ms on the index)."""

import pytest
from django.db import connection

from core.fields import Status
from core.models import Level
from eldercare.models import Facility
from facilities.models import Centre
from portal import search
from portal.nearby import _box, _sphere_nearest
from volunteers.models import Team

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans: the PostgreSQL run")


@pytest.mark.django_db
@pytest.mark.parametrize(("queryset", "fields", "index"), [
    # Teams are placed at their community: the box is on the communities joined to them (portal.nearby._team_rows).
    (lambda: Team.objects.filter(community__level=Level.COMMUNITY), "community__", "community_grid"),
    (lambda: Centre.objects.filter(status=Status.OPERATING), "", "centre_public_grid"),
    (lambda: Facility.objects.filter(status=Status.OPERATING), "", "facility_public_grid"),
])
def test_the_box_can_use_its_grid_index(queryset, fields, index):
    box = _box(queryset(), 45.02, 130.7, 1_500, lat_field=f"{fields}latitude", lon_field=f"{fields}longitude")
    plan = _plan(box.order_by().values_list("pk"), index, "SET LOCAL enable_seqscan = off")
    assert index in plan, plan


def _plan(rows, index, settings):
    """``EXPLAIN`` of ``rows`` under ``settings`` (a small test table: ask whether the index fits at all), with the
    table's other indexes dropped inside the test's transaction: another index of a near-empty table can cost the
    same (facility_search_order did, with some statistics), so the plan says whether this one fits."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(settings)
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = (SELECT tablename FROM pg_indexes WHERE indexname = %s)"
            " AND indexname <> %s AND indexname NOT IN (SELECT conname FROM pg_constraint)", [index, index])
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "rows", "index"), [
    ("team", lambda: search.teams(()).filter(community__level=Level.COMMUNITY).order_by(), "division_sphere"),
    ("centre", lambda: search.centres(()).order_by(), "centre_sphere"),
    ("facility", lambda: search.facilities(()).order_by(), "facility_sphere"),
])
def test_near_me_reads_each_kind_nearest_first_from_its_sphere_index(kind, rows, index):
    # Can the index hand the rows out in order at all (no sort, no bitmap)?
    ordered = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off"
    plan = _plan(_sphere_nearest(kind, rows(), 20), index, ordered)
    assert index in plan and "Order By" in plan and "Sort" not in plan, plan
