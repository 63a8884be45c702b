"""A centre's and a team's ``community_code``: the database keeps it for every writer (core.community_codes), and the
residents' lists are ordered by it on an index."""

import pytest
from django.db import connection

from core.models import Division
from facilities.models import Centre
from tests.builders import CentreFactory, TeamFactory
from volunteers.models import Team

pytestmark = pytest.mark.django_db


def stored(model, pk):
    return model.objects.filter(pk=pk).values_list("community_code", flat=True).get()


@pytest.mark.parametrize(("factory", "model"), [(CentreFactory, Centre), (TeamFactory, Team)])
def test_every_writer_leaves_the_communitys_code_in_the_row(city, factory, model):
    record = factory(community=city["community_a"])  # save()
    assert stored(model, record.pk) == "230302001001"
    record.community = city["community_b"]
    record.save()  # what it holds in memory is written back: the database puts the right code in its place
    assert stored(model, record.pk) == "230302002001"
    model.objects.filter(pk=record.pk).update(community=city["community_a2"])
    assert stored(model, record.pk) == "230302001002"
    model.objects.filter(pk=record.pk).update(community_code="999999999999")  # a wrong code is put right
    assert stored(model, record.pk) == "230302001002"
    twin = factory.build(community=city["community_c"], code=f"{record.code}X")
    (created,) = model.objects.bulk_create([twin])
    assert stored(model, created.pk) == "230321001001"


@pytest.mark.parametrize(("factory", "model"), [(CentreFactory, Centre), (TeamFactory, Team)])
def test_a_community_whose_code_changes_gives_it_to_its_records(city, factory, model):
    record = factory(community=city["community_a"])
    other = factory(community=city["community_b"])
    Division.objects.filter(pk=city["community_a"].pk).update(code="230302001009")
    assert stored(model, record.pk) == "230302001009"
    assert stored(model, other.pk) == "230302002001"


def test_the_import_writes_rows_that_get_their_code(city):
    from django.utils import timezone

    from core.bulk import insert_rows
    from exchange.writer import created_fields

    centre = CentreFactory.build(community=city["community_b"], code="ZX-IMPORT")
    centre.prepare_for_bulk()
    now = timezone.now()
    fields = [field.name for field in created_fields(Centre)]
    (pk,) = [pk for pk, *_rest in insert_rows(Centre, [centre], fields, extra={"created_at": now, "updated_at": now})]
    assert stored(Centre, pk) == "230302002001"


def test_the_public_lists_follow_the_community_codes(city, client, settings):
    settings.PUBLIC_PAGE_CACHE = False  # QuerySet.update below sends no signal to retire the cached pages
    late = CentreFactory(community=city["community_c"], code="ZX-A", name="东升中心")  # 230321… sorts last
    early = CentreFactory(community=city["community_a"], code="ZX-B", name="建设中心")
    TeamFactory(community=city["community_c"], code="DW-A", name="东升队")
    TeamFactory(community=city["community_a"], code="DW-B", name="建设队")
    page = client.get("/facilities/").content.decode()
    assert page.index(early.name) < page.index(late.name)
    page = client.get("/volunteers/").content.decode()
    assert page.index("建设队") < page.index("东升队")
    Division.objects.filter(pk=city["community_c"].pk).update(code="230302000001")  # now it sorts first
    page = client.get("/facilities/").content.decode()
    assert page.index(late.name) < page.index(early.name)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans: the PostgreSQL run")
@pytest.mark.parametrize(("model", "index"), [(Centre, "centre_public_order"), (Team, "team_public_order")])
def test_a_page_of_the_list_is_read_on_its_index(city, model, index):
    from facilities.selectors import public_centres
    from volunteers.selectors import public_teams

    rows = (public_centres() if model is Centre else public_teams(hours=False)).values("pk")[980:1000]
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        # A small test table: ask whether an index can hand the rows over in order at all (not whether it is
        # cheaper than the few rows sorted, or than another index of operating centres and a sort).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan and "Sort" not in plan, plan


def test_the_audit_trail_leaves_the_kept_code_out(city, client, adam):
    """Derived by the database, the code is no one's change: no history column, and every model's history page
    (those without such a field included) still opens."""
    assert "community_code" not in {field.name for field in Centre.history.model._meta.fields}
    assert "community_code" not in {field.name for field in Team.history.model._meta.fields}
    centre = CentreFactory(community=city["community_a"])
    centre.name = "改名"
    centre.save()
    client.force_login(adam)
    entry = centre.history.first()
    assert client.get(f"/admin/facilities/centre/{centre.pk}/history/{entry.history_id}/").status_code == 200
    division = city["community_a"]
    entry = division.history.first()
    assert client.get(f"/admin/core/division/{division.pk}/history/{entry.history_id}/").status_code == 200
