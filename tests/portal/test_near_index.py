"""Near me reads each kind through an index of the latitude grid, never a scan of the whole province
(at 60,000 communities the communities' box was a 26 ms sequential scan; 0.8 ms on the index)."""

import pytest
from django.db import connection

from core.fields import Status
from core.models import Division
from eldercare.models import Facility
from facilities.models import Centre
from portal.nearby import _box

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans: the PostgreSQL run")


@pytest.mark.django_db
@pytest.mark.parametrize(("queryset", "index"), [
    (lambda: Division.objects.communities(), "community_grid"),
    (lambda: Centre.objects.filter(status=Status.OPERATING), "centre_public_grid"),
    (lambda: Facility.objects.filter(status=Status.OPERATING), "facility_public_grid"),
])
def test_the_box_can_use_its_grid_index(queryset, index):
    rows = _box(queryset(), 45.02, 130.7, 1_500).order_by().values_list("pk", "latitude", "longitude")
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small test table: ask whether the index fits at all
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
