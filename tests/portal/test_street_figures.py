"""The home page's counts, kept per street by database triggers, equal a fresh COUNT after every kind of write."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.fields import Status
from core.models import Division, Kind, Level
from eldercare.models import Facility, FacilityKind
from facilities.models import Centre
from portal import figures
from portal.models import StreetFigures
from tests.builders import CentreFactory, FacilityFactory, TeamFactory
from tests.core.test_public_scaling import UNCACHED, grow
from tests.personas import make_division
from volunteers.models import Team

MODELS = (Centre, Facility, Team)
COMMUNITIES = ("community_a", "community_a2", "community_b", "village", "community_c")
STREETS = ("street_a", "street_b", "town", "street_c")
STATUSES = st.sampled_from([Status.OPERATING, Status.CLOSED, Status.CONSTRUCTION])
MODEL = st.sampled_from(MODELS)
PICK = st.integers(0, 50)  # an index into the model's rows, modulo their number

STEPS = st.one_of(
    st.tuples(st.just("create"), MODEL, st.sampled_from(COMMUNITIES + STREETS), STATUSES),
    st.tuples(st.just("status"), MODEL, PICK, STATUSES),
    st.tuples(st.just("move"), MODEL, PICK, st.sampled_from(COMMUNITIES)),
    st.tuples(st.just("delete"), MODEL, PICK),
    st.tuples(st.just("update"), MODEL, st.sampled_from(COMMUNITIES), STATUSES),
    st.tuples(st.just("bulk_create"), MODEL, st.sampled_from(COMMUNITIES), st.integers(1, 3), STATUSES),
    st.tuples(st.just("reparent"), st.sampled_from(COMMUNITIES), st.sampled_from(("street_a", "street_b", "street_c"))),
    st.tuples(st.just("new_community"), st.sampled_from(STREETS)),
)


def fresh_counts():
    """The headline figures as the home page counted them before they were kept."""
    return {
        "districts": Division.objects.filter(level=Level.DISTRICT).count(),
        "streets": Division.objects.filter(level=Level.STREET).count(),
        "communities": Division.objects.filter(level=Level.COMMUNITY).count(),
        "centres": Centre.objects.operating().count(),
        "eldercare": Facility.objects.operating().count(),
        "teams": Team.objects.count(),
    }


def division_field(model):
    return "division" if model is Facility else "community"


def unsaved(model, division, status, code):
    """A record of ``model`` in ``division`` (a street only takes an eldercare street centre)."""
    if model is Facility:
        kind = FacilityKind.STREET_CENTRE if division.level == Level.STREET else FacilityKind.DAYCARE
        return FacilityFactory.build(division=division, kind=kind, status=status, code=code)
    if model is Centre:
        return CentreFactory.build(community=division, status=status, code=code)
    return TeamFactory.build(community=division, code=code)


def pick(model, index):
    rows = list(model.objects.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def create(city, serial, model, where, status):
    if model is Facility or city[where].level == Level.COMMUNITY:
        unsaved(model, city[where], status, f"P{serial}").save()


def change_status(city, serial, model, index, status):
    if (row := pick(model, index)) and model is not Team:
        row.status = status
        row.save()


def move(city, serial, model, index, where):
    if row := pick(model, index):
        if model is Facility:
            row.kind = FacilityKind.DAYCARE
        setattr(row, division_field(model), city[where])
        row.save()


def delete(city, serial, model, index):
    if row := pick(model, index):
        row.delete()


def update(city, serial, model, where, status):
    """QuerySet.update of the status (a Team's name: not counted), then of one row's community."""
    rows = model.objects.filter(**{division_field(model): city[where]})
    rows.update(**({"name": "改名"} if model is Team else {"status": status}))
    moved = model.objects.filter(pk__in=list(rows.values_list("pk", flat=True)[:1]))
    moved.update(**{division_field(model): city["community_c"]})


def bulk_create(city, serial, model, where, number, status):
    model.objects.bulk_create([unsaved(model, city[where], status, f"B{serial}-{n}") for n in range(number)])


def reparent(city, serial, where, street):
    """A community moved to another street (a raw update of its parent and street): its records move with it."""
    Division.objects.filter(pk=city[where].pk).update(parent=city[street], street=city[street])


def new_community(city, serial, where):
    street = city[where]
    kind = Kind.VILLAGE if street.kind == Kind.TOWN else Kind.COMMUNITY
    make_division(f"{street.code[:9]}{900 + serial:03d}", f"新社区{serial}", kind, street, households=10)


#: Each step a different writer: save(), delete(), QuerySet.update, bulk_create, a division's move.
ACTIONS = {
    "create": create, "status": change_status, "move": move, "delete": delete, "update": update,
    "bulk_create": bulk_create, "reparent": reparent, "new_community": new_community,
}


@pytest.mark.django_db
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(steps=st.lists(STEPS, min_size=1, max_size=8))
def test_the_kept_counts_equal_a_fresh_count_after_every_write(city, steps):
    with transaction.atomic():
        for serial, step in enumerate(steps):
            ACTIONS[step[0]](city, serial, *step[1:])
            assert figures.headline() == fresh_counts(), step
            assert figures.differences() == [], step
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_migration_fills_the_table_from_the_data_as_it_stands(city):
    from importlib import import_module

    CentreFactory(community=city["community_a"])
    FacilityFactory(division=city["street_a"], kind=FacilityKind.STREET_CENTRE)
    StreetFigures.objects.all().delete()
    assert figures.headline()["centres"] == 0
    migration = import_module("portal.migrations.0005_street_figures_triggers")
    with connection.cursor() as cursor:
        for sql in migration.fill():
            cursor.execute(sql)
    assert figures.differences() == []
    assert figures.headline() == fresh_counts()
    street_a = StreetFigures.objects.get(division=city["street_a"])
    assert (street_a.streets, street_a.communities, street_a.centres, street_a.eldercare) == (1, 2, 1, 1)


@pytest.mark.django_db
def test_deleting_a_street_deletes_its_row(city):
    street = make_division("230302003000", "新街道", Kind.STREET, city["district"])
    assert StreetFigures.objects.filter(division=street).exists()
    Division.objects.filter(pk=street.pk).delete()  # raw: no cascade from Django, the trigger removes the row
    assert not StreetFigures.objects.filter(division_id=street.pk).exists()
    assert figures.headline() == fresh_counts()


def test_verify_figures_finds_nothing_and_names_a_planted_difference(city):
    """(After seed_demo, run twice, it finds nothing either: tests/core/test_commands.py.)"""
    CentreFactory(community=city["community_a"], status=Status.OPERATING)
    out = io.StringIO()
    call_command("verify_figures", stdout=out)
    assert "全部一致" in out.getvalue()
    assert figures.headline() == fresh_counts() and fresh_counts()["centres"] > 0
    kept = StreetFigures.objects.filter(centres__gt=0).first()
    with connection.cursor() as cursor:  # behind the triggers' back
        cursor.execute("UPDATE portal_streetfigures SET centres = centres + 1 WHERE division_id = %s", [kept.pk])
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("verify_figures", stdout=out)
    assert exited.value.code == 1
    assert f"区划 #{kept.pk} 运营中的社区综合服务设施数：保存的是 {kept.centres + 1}，重新计算是 {kept.centres}" in out.getvalue()


@pytest.mark.django_db
def test_the_home_page_costs_the_same_queries_in_a_city_twice_as_big(client, settings):
    settings.CACHES = UNCACHED

    def home_queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/")
        assert response.status_code == 200
        return len(captured), response.context["counts"]

    for unit in range(2):
        grow(unit)
    small, counts = home_queries()
    assert counts == fresh_counts()
    for unit in range(2, 4):
        grow(unit)
    big, counts = home_queries()
    assert big == small
    assert counts == fresh_counts() and counts["districts"] == 4 and counts["centres"] == 24



@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_kept_rows_with_the_data(city):
    """The transactional tests' teardown (a flush: DELETE FROM each table on SQLite, one TRUNCATE on PostgreSQL)
    leaves no kept row behind, whatever order the tables go in: decrements never insert a row."""
    CentreFactory(community=city["community_a"])
    FacilityFactory(division=city["street_b"], kind=FacilityKind.STREET_CENTRE)
    TeamFactory(community=city["community_c"])
    assert StreetFigures.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not StreetFigures.objects.exists()
    assert figures.headline() == fresh_counts() == dict.fromkeys(StreetFigures.COUNTED, 0)
