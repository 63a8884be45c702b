"""The board's kept figures (``compliance.kept``) equal the board computed from the records, after every write."""

import io
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance import board, kept, kept_keys, timeline
from compliance.models import KeptFigure, KeptRollup
from compliance.rules import INDICATORS
from core.dates import last_full_month
from core.fields import Status
from core.models import Division, Kind, Level
from eldercare.models import Elder, Facility, FacilityKind, Ownership, Visit
from exchange.importer import import_workbook
from facilities.models import Centre
from tests.builders import (
    CentreFactory,
    DivisionFactory,
    ElderFactory,
    FacilityFactory,
    TeamFactory,
    VisitFactory,
    WorkerFactory,
)
from tests.exchange.helpers import sample_bytes
from volunteers.models import CertificateLevel, Team, Worker

CODES = tuple(INDICATORS)
MONTH = last_full_month()
BYS = ("city", "district", "street")


def computed(within, by):
    with kept.bypassed():
        return board.board_rows(CODES, MONTH, within, by)


def same(kept_rows, live_rows):
    """The same figures, of the same types (a ``Decimal`` area is not an ``int``: the rules divide them); a base
    without groups is the same as no base: ``Indicator.pair`` reads both as none."""
    def plain(rows):
        return {base: {group: {column: (type(kept._load(value)), kept._load(value)) for column, value in row.items()}
                       for group, row in groups.items()} for base, groups in rows.items() if groups}
    return plain(kept_rows) == plain(live_rows)


def every_board():
    """``(within, by)`` of every board the pages ask for: the deployment, and each district, street and city
    (by city only where there are cities: without, the computed board groups records by their own division)."""
    bys = BYS if Division.objects.filter(level=Level.CITY).exists() else BYS[1:]
    divisions = Division.objects.exclude(level=Level.COMMUNITY)
    return [(None, by) for by in bys] + [(division, by) for division in divisions for by in bys]


def assert_kept_equals_computed():
    for within, by in every_board():
        found = kept.read(MONTH, within, by)
        assert found is not None, (within, by)
        assert same(found, computed(within, by)), (within, by)
    assert kept.check() == []


@pytest.fixture
def populated(city, make_centre, make_facility, make_worker, make_elder, visit):
    make_centre(city["community_a"], total="200", activity="100")
    make_centre(city["community_b"])
    make_facility(city["community_a"], FacilityKind.DAYCARE, latitude=45.301, longitude=130.971)
    make_facility(city["street_b"], FacilityKind.STREET_CENTRE, full_care=True, day_care=True, home_visits=True,
                  guidance=True)
    make_facility(city["district"], FacilityKind.INSTITUTION, beds=80, nursing_beds=50, ownership=Ownership.PUBLIC)
    make_worker(city["community_a"])
    make_worker(city["street_a"], certified=True, role="station")
    elder = make_elder(city["community_b"])
    visit(elder, MONTH)
    make_elder(city["village"])
    TeamFactory(community=city["community_c"], party_backbone=True)
    return city


def in_two_cities(city, cities=(1, 2)):
    """The two districts moved into cities of one province (``cities``: each district's city, 1 or 2), through the
    districts' own saves."""
    province = DivisionFactory(code="230000000000", name="黑龙江省", kind=Kind.PROVINCE)
    made = {serial: DivisionFactory(code=f"23{serial:02d}00000000", name=f"第{serial}市", kind=Kind.CITY,
                                    parent=province) for serial in (1, 2)}
    for serial, district in zip(cities, (city["district"], city["district2"]), strict=True):
        district = Division.objects.get(pk=district.pk)
        district.parent = made[serial]
        district.save()
    fresh = Division.objects.in_bulk([place.pk for place in city.values()])  # their city, as the saves set it
    return {name: fresh[place.pk] for name, place in city.items()}


@pytest.fixture(params=["districts in no city", "two cities"])
def world(request, populated):
    """The populated city as it is, or with its districts in two cities of a province."""
    return in_two_cities(populated) if request.param == "two cities" else populated


def test_a_citys_rollup_is_added_again_only_after_a_write_under_it(populated, make_centre):
    """The whole area's and the province's boards by city add one roll-up per city (not one per district); a write
    in one city makes that city's roll-up be added again, and only that one."""
    populated = in_two_cities(populated)
    cities = dict(Division.objects.filter(level=Level.CITY).values_list("code", "pk"))
    kept.rebuild()  # adds every district's and city's roll-up
    rollups = dict(KeptRollup.objects.values_list("division", "stamp"))
    assert set(cities.values()) | {populated["district"].pk, populated["district2"].pk} == set(rollups)
    province = Division.objects.get(level=Level.PROVINCE)
    for within in (None, province):
        with CaptureQueriesContext(connection) as queries:
            first = kept.read(MONTH, within, "city")
        assert same(first, computed(within, "city"))
        rollup_reads = [q["sql"] for q in queries if "compliance_keptrollup" in q["sql"]]
        assert len(rollup_reads) == 1 and rollup_reads[0].count("%s") <= 3, rollup_reads  # month and two cities
        assert not [q for q in queries if "INSERT" in q["sql"] or "UPDATE" in q["sql"]], "fresh roll-ups are only read"

    make_centre(populated["community_c"], total="500", activity="300")  # in the second city
    found = kept.read(MONTH, None, "city")
    assert same(found, computed(None, "city")) and not same(found, first)
    after = dict(KeptRollup.objects.values_list("division", "stamp"))
    assert after[cities["230200000000"]] != rollups[cities["230200000000"]]
    assert after[cities["230100000000"]] == rollups[cities["230100000000"]]


def test_a_page_of_a_citys_districts_or_a_provinces_cities_reads_those_and_the_whole_as_one_group(populated):
    """A board showing some of its children reads their rows and its own division's as one group (the total):
    each equals the computed board's, and the board's figures are those of the board of every child."""
    from compliance.selectors import children_of

    populated = in_two_cities(populated, cities=(1, 1))  # both districts in the first city; the second is empty
    kept.rebuild()
    first = Division.objects.get(code="230100000000")
    province = Division.objects.get(level=Level.PROVINCE)
    for within, by, own in ((first, "district", "city"), (province, "city", "province")):
        children, every, whole = children_of(within), computed(within, by), computed(within, own)
        for child in children:
            found, total = kept.read(MONTH, within, by, groups=[child.pk], total=own)
            assert {group for groups in found.values() for group in groups} <= {child.pk}
            assert same(found, {base: {group: row for group, row in groups.items() if group == child.pk}
                                for base, groups in every.items()}), (within, child)
            assert same(total, whole), within
            page = board.evaluate(targets={}, ctx=board.Context(month=MONTH), within=within, by=by, parts=[child])
            full = board.evaluate(targets={}, ctx=board.Context(month=MONTH), within=within, by=by, parts=children)
            index = children.index(child)
            for paged, all_parts in zip(page, full, strict=True):
                assert (paged.total.numerator, paged.total.denominator) == (
                    all_parts.total.numerator, all_parts.total.denominator), (within, paged.indicator.code)
                assert (paged.parts[0].numerator, paged.parts[0].denominator) == (
                    all_parts.parts[index].numerator, all_parts.parts[index].denominator)


def test_nothing_is_kept_until_rebuilt(populated):
    assert kept.read(MONTH, None, "district") is None
    assert kept.rebuild() == KeptFigure.objects.filter(division__isnull=False).count() > 0
    assert_kept_equals_computed()


def test_every_board_summed_from_kept_rows_equals_the_board_computed_from_records(populated):
    kept.rebuild()
    assert_kept_equals_computed()
    # And the pages' results: every indicator's figure, total and parts.
    districts = list(Division.objects.filter(level=Level.DISTRICT))
    live = [(row.total.numerator, row.total.denominator, [(p.numerator, p.denominator) for p in row.parts])
            for row in _evaluate(districts, bypass=True)]
    assert [(row.total.numerator, row.total.denominator, [(p.numerator, p.denominator) for p in row.parts])
            for row in _evaluate(districts, bypass=False)] == live


def _evaluate(parts, *, bypass):
    if bypass:
        with kept.bypassed():
            return board.evaluate(targets={}, parts=parts)
    return board.evaluate(targets={}, parts=parts)


def test_a_month_not_kept_and_a_past_months_tables_are_computed(populated):
    kept.rebuild()
    assert kept.read(date(2020, 1, 1), None, "district") is None
    with timeline.as_of(MONTH):
        assert kept.read(MONTH, None, "district") is None  # the tables are the month's, the kept rows today's


def test_the_board_reads_the_kept_rows_in_one_query(populated, make_centre):
    kept.rebuild()
    with CaptureQueriesContext(connection) as queries:
        kept.read(MONTH, populated["district"], "street")
    assert len(queries) == 1
    for _ in range(5):  # a bigger street: still one query, the same rows
        make_centre(populated["community_a2"])
    with CaptureQueriesContext(connection) as queries:
        found = kept.read(MONTH, populated["district"], "street")
    assert len(queries) == 1
    assert same(found, computed(populated["district"], "street"))


def read_rollups():
    """Read every board that adds districts' roll-ups (which writes them)."""
    for within in [None, *Division.objects.filter(level__in=[Level.DISTRICT, Level.CITY, Level.PROVINCE])]:
        for by in ("district", "city"):
            kept.read(MONTH, within, by)


def test_a_districts_rollup_is_added_again_only_after_a_write_under_it(populated, make_centre):
    """A board above the streets adds one roll-up per district; a write in one district makes that district's
    roll-up be added again from its streets' rows, and only that one."""
    kept.rebuild()  # adds every district's roll-up
    rollups = dict(KeptRollup.objects.values_list("division", "stamp"))
    assert set(rollups) == {populated["district"].pk, populated["district2"].pk}
    with CaptureQueriesContext(connection) as queries:
        first = kept.read(MONTH, None, "district")
    assert same(first, computed(None, "district"))
    assert not [q for q in queries if "INSERT" in q["sql"] or "UPDATE" in q["sql"]], "fresh roll-ups are only read"

    make_centre(populated["community_a2"], total="500", activity="300")  # in the first district
    found = kept.read(MONTH, None, "district")
    assert same(found, computed(None, "district")) and not same(found, first)
    after = dict(KeptRollup.objects.values_list("division", "stamp"))
    assert after[populated["district"].pk] != rollups[populated["district"].pk]
    assert after[populated["district2"].pk] == rollups[populated["district2"].pk]


@pytest.mark.parametrize("keep", [True, False], ids=["kept", "computed"])
def test_the_street_page_lists_the_same_failing_units_when_it_skips_indicators_that_all_pass(populated, keep):
    """``street_board`` does not ask for the failing units of an indicator whose street sums show none; what it
    lists is what asking every indicator gives, with the figures kept or computed."""
    from compliance import selectors
    from compliance.kinds import Context

    if keep:
        kept.rebuild()
    ctx = Context(month=MONTH)
    streets = list(Division.objects.filter(level=Level.STREET))
    skipped = 0
    for street in streets:
        with CaptureQueriesContext(connection) as queries:
            _rows, missing = selectors.street_board(street=street, ctx=ctx, targets={})
        asked = {code: indicator.units(ctx, street, failing_only=True) for code, indicator in INDICATORS.items()
                 if indicator.has_units}
        assert {code: [unit.obj for unit in units] for code, units in missing.items()} == {
            code: [unit.obj for unit in units] for code, units in asked.items()}, street
        with CaptureQueriesContext(connection) as asking:
            for indicator in INDICATORS.values():
                if indicator.has_units:
                    list(indicator.units(ctx, street, failing_only=True))
        skipped += len(asking) - len([q for q in queries if q["sql"] in {a["sql"] for a in asking}])
    assert skipped > 0  # some indicator of some street had no failing unit and was not asked


def test_verify_figures_names_a_kept_row_that_differs(populated):
    kept.rebuild()
    row = KeptFigure.objects.get(month=MONTH, division=populated["street_a"])
    row.sums["centres"]["F4_den"] += 1
    KeptFigure.objects.filter(pk=row.pk).update(sums=row.sums)
    assert [message for message in kept.check() if "230302001000" in message]
    with pytest.raises(SystemExit):
        call_command("verify_figures", stdout=io.StringIO(), stderr=io.StringIO())


def test_a_workbook_import_keeps_the_figures(city):
    kept.rebuild()
    result = import_workbook(sample_bytes(), file_name="sample.xlsx")
    assert not result.errors, result.errors[:3]
    assert_kept_equals_computed()
    # The same workbook again: its updates (nothing changed) keep them too.
    import_workbook(sample_bytes(), file_name="sample.xlsx")
    assert_kept_equals_computed()


def test_keep_figures_command_rebuilds_only_when_stale(populated):
    out = io.StringIO()
    call_command("keep_figures", "--if-stale", stdout=out)
    assert MONTH.strftime("%Y-%m") in out.getvalue() and kept.kept_month() == MONTH
    call_command("keep_figures", "--if-stale", stdout=out)
    assert "无需重算" in out.getvalue()


def test_only_a_facility_that_moves_in_e7_refreshes_its_neighbours(populated):
    """A day-care centre's new phone number changes no neighbour's E7; moving it, or closing it, does — and the
    figures stay exact either way."""
    kept.rebuild()
    daycare = Facility.objects.get(kind=FacilityKind.DAYCARE)
    institution = Facility.objects.get(kind=FacilityKind.INSTITUTION)
    here = (daycare.latitude, daycare.longitude)
    with mock.patch.object(kept, "neighbour_keys", wraps=kept.neighbour_keys) as neighbours:
        daycare.phone = "0467-2345699"
        daycare.save()
        institution.latitude, institution.longitude = 45.31, 130.98  # E7 does not count institutions
        institution.save()
        assert [call.args for call in neighbours.call_args_list] == [(set(),), (set(),)]
        neighbours.reset_mock()

        daycare.latitude = 45.31
        daycare.save()
        daycare.refresh_from_db()
        neighbours.assert_called_once_with({here, (daycare.latitude, daycare.longitude)})
        neighbours.reset_mock()

        daycare.status = Status.CLOSED
        daycare.save()
        neighbours.assert_called_once_with({(daycare.latitude, daycare.longitude)})
    assert kept.check() == []


def test_a_row_whose_figures_come_out_the_same_is_not_written_again(populated):
    """A day-care centre moved 11 m covers the same communities: neither its street's row nor its neighbours'
    is written (their stamps stay, so no district's roll-up is added up again); moved out of town, the rows
    whose E7 changed are written, and only their E7 columns differ."""
    kept.rebuild()
    daycare = Facility.objects.get(kind=FacilityKind.DAYCARE)

    def stored():
        return {key: (stamp, sums) for key, stamp, sums in
                KeptFigure.objects.filter(division__isnull=False).values_list("division", "stamp", "sums")}

    before = stored()
    daycare.latitude += 0.0001
    daycare.save()
    assert stored() == before

    daycare.latitude, daycare.longitude = 46.5, 131.9
    daycare.save()
    after = stored()
    changed = {key for key in before if after[key][0] != before[key][0]}
    assert changed and all(after[key][1] != before[key][1] for key in changed)
    for key in changed:
        differing = {(base, column) for base, columns in after[key][1].items() for column, value in columns.items()
                     if before[key][1][base].get(column) != value}
        assert differing and {column[:2] for _base, column in differing} == {"E7"}, differing
    assert kept.check() == []


def test_past_the_limit_of_moved_points_every_keys_e7_row_is_recomputed(populated):
    kept.rebuild()
    everywhere = set(Division.objects.filter(level=Level.COMMUNITY).values_list("street", flat=True))
    assert kept.neighbour_keys({(45.301, 130.971)}) < everywhere  # a probe finds the neighbours only
    with mock.patch.object(kept_keys, "NEAR_POINTS_LIMIT", 0):
        assert kept.neighbour_keys({(45.301, 130.971)}) == everywhere
        daycare = Facility.objects.get(kind=FacilityKind.DAYCARE)
        daycare.latitude = 45.31
        daycare.save()
    assert kept.check() == []


# -- every kind of write, in random order --------------------------------------------------------------------

COMMUNITIES = ("community_a", "community_a2", "community_b", "village", "community_c")
STREETS = ("street_a", "street_b", "town", "street_c")
PLACES = COMMUNITIES + STREETS + ("district", "district2")
PICK = st.integers(0, 50)
NEAR = st.sampled_from([(45.30, 130.97), (45.305, 130.975), (45.31, 130.98), (None, None)])


def pick(model, index):
    rows = list(model.objects.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def create(city, serial, kind, where, status, point):
    place = city[where]
    community = place if place.level == Level.COMMUNITY else None
    if kind == "centre" and community:
        CentreFactory(community=community, status=status, code=f"K{serial}", validate=False,
                      total_area=Decimal("300"), activity_area=Decimal(str(50 + serial * 40 % 250)))
    elif kind == "facility":
        facility_kind = {Level.COMMUNITY: FacilityKind.DAYCARE, Level.STREET: FacilityKind.STREET_CENTRE}.get(
            place.level, FacilityKind.INSTITUTION)
        FacilityFactory(division=place, kind=facility_kind, status=status, code=f"K{serial}", validate=False,
                        latitude=point[0], longitude=point[1], beds=20 + serial, nursing_beds=serial,
                        ownership=Ownership.PUBLIC if serial % 2 else Ownership.PRIVATE,
                        full_care=True, day_care=True, home_visits=True, guidance=bool(serial % 3))
    elif kind == "worker":
        WorkerFactory(workplace=place, code=f"K{serial}", on_duty=status == Status.OPERATING, validate=False,
                      level=CertificateLevel.SOCIAL_WORKER if serial % 2 else CertificateLevel.NONE,
                      certificate_number=f"K{serial:07d}" if serial % 2 else None)
    elif kind == "elder" and community:
        ElderFactory(community=community, code=f"K{serial}", validate=False)
    elif kind == "visit" and (elder := pick(Elder, serial)):
        VisitFactory(elder=elder, visited_on=MONTH if serial % 2 else date(2020, 1, 1), visitor=f"K{serial}",
                     validate=False)
    elif kind == "team" and community:
        TeamFactory(community=community, code=f"K{serial}", party_backbone=bool(serial % 2))


MODELS = {"centre": Centre, "facility": Facility, "worker": Worker, "elder": Elder, "visit": Visit, "team": Team}


def edit(city, serial, kind, index, where, status, point):
    """The record moved to ``where`` (if it can stand there) with a new status, place on the map or date."""
    row = pick(MODELS[kind], index)
    if row is None:
        return
    place = city[where]
    if kind == "facility":
        row.latitude, row.longitude, row.status = *point, status
        if place.level == Level.COMMUNITY and row.kind == FacilityKind.DAYCARE:
            row.division = place
    elif kind == "centre":
        row.status = status
        if place.level == Level.COMMUNITY:
            row.community = place
    elif kind == "worker":
        row.workplace, row.on_duty = place, not row.on_duty
    elif kind == "visit":
        row.visited_on = MONTH if row.visited_on != MONTH else date(2020, 1, 1)
    elif kind in ("elder", "team") and place.level == Level.COMMUNITY:
        row.community = place
    row.save()


def delete(city, serial, kind, index):
    if row := pick(MODELS[kind], index):
        row.delete()


def move_community(city, serial, where, street):
    """A community moved to another street (through its own save: its records move with it)."""
    community = Division.objects.get(pk=city[where].pk)
    community.parent = city[street]
    community.save()


def locate_community(city, serial, where, point):
    community = Division.objects.get(pk=city[where].pk)
    community.latitude, community.longitude = point
    community.population_60plus += 10
    community.save()


KIND = st.sampled_from(sorted(MODELS))
STATUS = st.sampled_from([Status.OPERATING, Status.CLOSED, Status.CONSTRUCTION])
STEPS = st.one_of(
    st.tuples(st.just("create"), KIND, st.sampled_from(PLACES), STATUS, NEAR),
    st.tuples(st.just("edit"), KIND, PICK, st.sampled_from(PLACES), STATUS, NEAR),
    st.tuples(st.just("delete"), KIND, PICK),
    st.tuples(st.just("move_community"), st.sampled_from(("community_a", "community_a2", "community_b")),
              st.sampled_from(("street_a", "street_b", "street_c"))),
    st.tuples(st.just("locate_community"), st.sampled_from(COMMUNITIES), NEAR),
)
ACTIONS = {"create": create, "edit": edit, "delete": delete, "move_community": move_community,
           "locate_community": locate_community}


@pytest.mark.django_db
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(steps=st.lists(STEPS, min_size=1, max_size=6))
def test_the_kept_figures_equal_the_computed_ones_after_every_write(world, steps):
    with transaction.atomic():
        kept.rebuild()
        read_rollups()  # written now, so that the steps' writes must retire them
        for serial, step in enumerate(steps):
            ACTIONS[step[0]](world, serial, *step[1:])
            assert kept.check() == [], step
        assert_kept_equals_computed()
        transaction.set_rollback(True)
