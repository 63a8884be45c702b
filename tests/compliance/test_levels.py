"""A province on one portal: province and city levels, reviewers of each, and a plan per division (issue #20)."""

import csv
import importlib
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from compliance import board, selectors
from compliance.kinds import Context
from compliance.models import Plan
from core import scoping
from core.models import Division, Kind, Level, Role, User
from tests.personas import _user, make_division

JUNE = Context(month="2025-06")
MATRIX = reverse("compliance:matrix")


def _copy_plan(name, division, **figures):
    """A plan for ``division`` with the default plan's targets, ``figures`` changed (``F3="40"``)."""
    default = Plan.objects.get(in_force=True)
    plan = Plan.objects.create(name=name, division=division)
    for target in default.targets.all():
        target.pk = None
        target.plan = plan
        if target.indicator in figures:
            target.figure = Decimal(figures[target.indicator])
        target.save()
    return plan


@pytest.fixture
def province(city):
    """The personas' city becomes 鸡西市 of a province with a second city, 双鸭山市; each level its own plan.

    Jixi's plan asks F3 > 40 (its communities have 30–36 m² per 100 households: failing), the provincial
    plan the default's > 30.
    """
    heilongjiang = make_division("230000000000", "黑龙江省", Kind.PROVINCE)
    jixi = make_division("230300000000", "鸡西市", Kind.CITY, heilongjiang)
    for district in (city["district"], city["district2"]):
        district.parent = jixi
        district.full_clean()
        district.save()
    other = make_division("230500000000", "双鸭山市", Kind.CITY, heilongjiang)
    other_district = make_division("230502000000", "尖山区", Kind.DISTRICT, other)
    other_street = make_division("230502001000", "中心站街道", Kind.STREET, other_district)
    other_community = make_division(
        "230502001001", "中心社区", Kind.COMMUNITY, other_street, households=500, population=1200, population_60plus=300,
    )
    provincial = _copy_plan("省级规划", heilongjiang)
    jixi_plan = _copy_plan("鸡西市规划", jixi, F3="40")
    return {
        **city, "province": heilongjiang, "jixi": jixi, "other": other, "other_district": other_district,
        "other_community": other_community, "provincial": provincial, "jixi_plan": jixi_plan,
    }


@pytest.fixture
def paula(province):
    """The province's reviewer (省民政厅)."""
    return _user("paula", Role.PROVINCE, province["province"])


@pytest.fixture
def carl(province):
    """Jixi's city reviewer (市民政局)."""
    return _user("carl", Role.REVIEWER, province["jixi"])


def _f3(rows):
    return next(row for row in rows if row.indicator.code == "F3")


def test_a_district_joining_a_city_gives_everything_below_it_the_city_and_the_province(province):
    community = Division.objects.get(pk=province["community_a"].pk)
    street = Division.objects.get(pk=province["street_a"].pk)
    assert (community.city_id, community.province_id) == (province["jixi"].pk, province["province"].pk)
    assert (street.city_id, street.province_id) == (province["jixi"].pk, province["province"].pk)
    assert province["other_community"].city_id == province["other"].pk
    assert set(Division.objects.within(province["jixi"]).filter(level=Level.COMMUNITY)) == set(
        Division.objects.filter(level=Level.COMMUNITY, code__startswith="2303")
    )


def test_codes_have_the_shape_of_their_level_and_a_city_must_sit_under_its_province(province):
    from django.core.exceptions import ValidationError

    wrong = Division(code="230500000000", name="错市", kind=Kind.CITY, parent=None)
    assert wrong.full_clean(validate_unique=False) is None  # a city may stand alone (a one-city deployment)
    stray = Division(code="220300000000", name="四平市", kind=Kind.CITY, parent=province["province"])
    with pytest.raises(ValidationError, match="230000000000|前 2 位"):
        stray.full_clean()
    misshapen = Division(code="230301000000", name="错", kind=Kind.CITY, parent=province["province"])
    with pytest.raises(ValidationError, match="形状"):
        misshapen.full_clean()


def test_a_plan_is_in_force_below_its_division_unless_a_lower_one_has_its_own(province):
    assert selectors.judging_for(province["jixi"]).plan == province["jixi_plan"]
    assert selectors.judging_for(Division.objects.get(pk=province["street_a"].pk)).plan == province["jixi_plan"]
    assert selectors.judging_for(province["other_district"]).plan == province["provincial"]
    assert selectors.judging_for(province["province"]).plan == province["provincial"]
    default = Plan.objects.get(in_force=True)
    province["provincial"].delete()
    assert selectors.judging_for(province["other_district"]).plan == default


def test_the_province_board_shows_each_city_by_its_own_plan_and_the_province_by_the_provincial_one(
    province, paula, make_centre,
):
    make_centre(province["community_c"], total="315", activity="200")  # 900 households: 35 m² per 100
    make_centre(province["other_community"], total="175", activity="120")  # 500 households: 35 m² per 100
    rows, columns, judging, root = selectors.board_for(paula, ctx=JUNE)
    assert root == province["province"] and columns == [province["jixi"], province["other"]]
    f3 = _f3(rows)
    jixi, other = f3.parts
    assert f3.total.target.plan == province["provincial"] and f3.total.figure == Decimal("30")
    assert jixi.target.plan == province["jixi_plan"] and jixi.figure == Decimal("40")
    assert other.target.plan == province["provincial"]
    assert other.value == 35 and other.passed is True
    assert jixi.passed is False  # Jixi's 4 communities: 315 m² over 4,200 households, under its own 40
    # The province's figure pools every community of both cities (not a mean of the cities).
    assert f3.total.value == Fraction(490 * 100, 4700)


def test_the_province_reviewer_page_names_the_plan_of_each_figure(province, paula, as_user):
    response = as_user(paula).get(MATRIX, {"month": "2025-06"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="board-plan">省级规划<' in page
    assert "鸡西市" in page and "双鸭山市" in page
    assert "按鸡西市规划" in page  # Jixi's column says which plan judges it
    assert f"?division={province['jixi'].code}" in page


def test_the_province_reviewer_opens_jixi_sees_its_districts_and_drills_to_a_failing_community(
    province, paula, as_user, make_centre,
):
    make_centre(province["community_c"], total="315", activity="200")
    client = as_user(paula)
    page = client.get(MATRIX, {"division": province["jixi"].code, "month": "2025-06"}).content.decode()
    assert 'id="board-plan">鸡西市规划<' in page
    assert "鸡冠区" in page and "鸡东县" in page and "双鸭山市" not in page.split("<table")[1]
    assert 'id="board-breadcrumb"' in page and "黑龙江省" in page
    drill = client.get(reverse("compliance:drill", args=["F3", province["district2"].code]), {"month": "2025-06"})
    text = drill.content.decode()
    assert drill.status_code == 200 and 'id="drill-plan">按规划：鸡西市规划<' in text
    assert "东升社区" in text and "40" in text  # the failing community and the target it misses


def test_a_city_drill_down_lists_its_districts_each_with_its_plan_and_no_unit_list(province, paula, as_user):
    response = as_user(paula).get(reverse("compliance:drill", args=["F1", province["jixi"].code]))
    text = response.content.decode()
    assert response.status_code == 200 and 'id="drill-parts"' in text
    assert "鸡冠区" in text and "鸡东县" in text and "请在上表中打开下级区划" in text


def test_a_city_reviewer_reads_their_city_and_nothing_of_the_other(province, carl, as_user, make_centre):
    mine = make_centre(province["community_a"])
    theirs = make_centre(province["other_community"])
    from facilities.models import Centre

    assert list(scoping.scope(carl, Centre.objects.all())) == [mine]
    assert theirs not in scoping.scope(carl, Centre.objects.all())
    client = as_user(carl)
    page = client.get(MATRIX).content.decode()
    assert 'id="board-plan">鸡西市规划<' in page and "鸡冠区" in page
    for code in (province["other"].code, province["province"].code):
        assert client.get(MATRIX, {"division": code}).status_code == 404
    assert client.get(reverse("compliance:drill", args=["F1", province["other_district"].code])).status_code == 404


def test_reviewer_roles_must_name_a_division_of_their_level(province):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="省"):
        User(username="p", role=Role.PROVINCE, division=province["jixi"]).full_clean()
    with pytest.raises(ValidationError, match="市州"):
        User(username="c", role=Role.REVIEWER, division=province["district"]).full_clean()


def test_the_permission_decisions_of_province_and_city_reviewers(province, paula, carl):
    """core.permissions decides: both read as bureau staff, each limited to their own division; nobody else is."""
    from django.contrib.auth.models import AnonymousUser

    from core import permissions

    whole = _user("whole", Role.REVIEWER)  # a city reviewer without a division: the whole portal
    admin = _user("boss", Role.ADMIN)
    assert permissions.is_province_reviewer(paula) and not permissions.is_city_reviewer(paula)
    assert permissions.is_city_reviewer(carl) and not permissions.is_province_reviewer(carl)
    assert permissions.bureau_division(paula) == province["province"]
    assert permissions.bureau_division(carl) == province["jixi"]
    assert permissions.bureau_division(whole) is None and permissions.bureau_division(admin) is None
    assert permissions.bureau_division(AnonymousUser()) is None
    for user in (paula, carl, whole):
        assert permissions.can_view_all(user) and permissions.can_accept(user)
        assert not permissions.is_bureau_admin(user) and not permissions.may_import(user)


def test_the_board_reads_the_same_number_of_queries_at_every_level(province, paula, django_assert_max_num_queries):
    for division in (None, province["jixi"], province["district"]):
        with django_assert_max_num_queries(16):
            selectors.board_for(paula, ctx=JUNE, division=division)


def test_the_whole_area_is_found_in_the_same_queries_for_one_city_as_for_a_province_of_several(
    province, django_assert_num_queries
):
    """``selectors.top``: a province of two cities is broken down by city; once the second city is gone, the province
    of one city by that city's districts (DOMAIN.md's one-city export) — two queries either way, the root's parent
    (the breadcrumb above the board) read with the parts."""
    with django_assert_num_queries(2):
        root, parts = selectors.top()
    assert root == province["province"] and parts == [province["jixi"], province["other"]]
    for level in (Level.COMMUNITY, Level.STREET, Level.DISTRICT, Level.CITY):  # protected: the lowest first
        Division.objects.filter(code__startswith="2305", level=level).delete()
    with django_assert_num_queries(2):
        root, parts = selectors.top()
        assert root.parent == province["province"]
    assert root == province["jixi"] and parts == [province["district"], province["district2"]]


def test_a_province_wide_export_has_a_row_per_city_and_a_city_export_a_row_per_district(province, make_centre):
    make_centre(province["community_c"], total="315", activity="200")
    out = io.StringIO()
    call_command("export_compliance", "--month", "2025-06", stdout=out)
    rows = list(csv.DictReader(out.getvalue().splitlines()))
    f3 = {row["division"]: row for row in rows if row["indicator"] == "F3"}
    assert list(f3) == ["ALL", province["jixi"].code, province["other"].code]
    assert f3[province["jixi"].code]["target"] == "40" and f3["ALL"]["target"] == "30"
    out = io.StringIO()
    call_command("export_compliance", "--month", "2025-06", "--division", province["jixi"].code, stdout=out)
    rows = list(csv.DictReader(out.getvalue().splitlines()))
    assert [row["division"] for row in rows if row["indicator"] == "F3"] == [
        province["jixi"].code, province["district"].code, province["district2"].code,
    ]
    assert {row["target"] for row in rows if row["indicator"] == "F3"} == {"40"}


def test_the_export_refuses_an_unknown_division(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="区划"):
        call_command("export_compliance", "--division", "999900000000", stdout=io.StringIO())


def test_the_data_migration_gives_a_deployment_its_city_and_province_without_changing_a_figure(
    city, rita, make_centre, settings,
):
    settings.CITY_NAME = "鸡西市"
    make_centre(city["community_a"])
    make_centre(city["community_c"], total="315", activity="200")
    before = io.StringIO()
    call_command("export_compliance", "--month", "2025-06", stdout=before)
    migration = importlib.import_module("core.migrations.0006_deployment_city_and_province")
    migration.forwards(apps, None)
    jixi = Division.objects.get(code="230300000000")
    assert jixi.name == "鸡西市" and jixi.parent.code == "230000000000" and jixi.parent.name == "黑龙江省"
    assert Division.objects.get(pk=city["community_a"].pk).city_id == jixi.pk
    rita.refresh_from_db()
    assert rita.division == jixi  # the city-wide reviewer is the city's reviewer
    after = io.StringIO()
    call_command("export_compliance", "--month", "2025-06", stdout=after)
    assert after.getvalue() == before.getvalue()


def test_division_q_selects_through_an_id_subquery_with_the_same_rows(province, make_centre):
    from facilities.models import Centre

    centres = [make_centre(community) for community in (
        province["community_a"], province["community_b"], province["community_c"], province["other_community"],
    )]
    for division, expected in (
        (province["street_a"], centres[:1]), (province["district"], centres[:2]),
        (province["jixi"], centres[:3]), (province["province"], centres),
    ):
        queryset = Centre.objects.filter(scoping.division_q(Centre, division))
        sql = str(queryset.query)
        assert "IN (SELECT" in sql and " OR " in sql.split("IN (SELECT", 1)[1]  # the OR stays inside one table
        assert sorted(queryset, key=lambda centre: centre.pk) == expected


def test_the_engine_groups_a_province_by_city(province, make_centre):
    make_centre(province["community_a"])
    [row] = board.evaluate(
        targets={}, ctx=JUNE, within=province["province"], by="city",
        parts=[province["jixi"], province["other"]], codes=["F1"],
    )
    # Urban communities: Jixi has 4 (one with a centre), the other city 1 (none).
    assert [(part.numerator, part.denominator) for part in row.parts] == [(1, 4), (0, 1)]
    assert (row.total.numerator, row.total.denominator) == (1, 5)


def test_the_sample_workbook_imported_into_a_province_joins_its_city_and_exports_as_before(db):
    from tests.compliance.test_export import SAMPLE_CSV, SAMPLE_WORKBOOK

    heilongjiang = make_division("230000000000", "黑龙江省", Kind.PROVINCE)
    jixi = make_division("230300000000", "鸡西市", Kind.CITY, heilongjiang)
    call_command("import_workbook", str(SAMPLE_WORKBOOK), stdout=io.StringIO())
    districts = Division.objects.filter(level=Level.DISTRICT)
    assert districts.exists() and set(districts.values_list("parent", flat=True)) == {jixi.pk}
    assert not Division.objects.filter(level=Level.COMMUNITY).exclude(city=jixi, province=heilongjiang).exists()
    out = io.StringIO()
    call_command("export_compliance", "--month", "2025-06", stdout=out)
    assert out.getvalue() == SAMPLE_CSV.read_text(encoding="utf-8")  # one city: ALL and its districts, unchanged
    call_command("import_workbook", str(SAMPLE_WORKBOOK), stdout=io.StringIO())  # again: updates keep the city
    assert set(Division.objects.filter(level=Level.DISTRICT).values_list("parent", flat=True)) == {jixi.pk}
    out = io.StringIO()
    call_command("export_compliance", "--month", "2025-06", "--division", jixi.code, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1:] == [line.replace(",ALL,", f",{jixi.code},") for line in SAMPLE_CSV.read_text(encoding="utf-8").splitlines()[1:]]


def test_add_user_makes_province_and_city_reviewers_of_their_division(province):
    call_command("add_user", "prov", "--role", "province", "--division", "230000000000", "--password", "pw-12345",
                 stdout=io.StringIO())
    call_command("add_user", "cityrev", "--role", "reviewer", "--division", "230300000000", "--password", "pw-12345",
                 stdout=io.StringIO())
    assert User.objects.get(username="prov").division == province["province"]
    assert User.objects.get(username="cityrev").division == province["jixi"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="省"):
        call_command("add_user", "bad", "--role", "province", "--division", "230300000000", "--password", "pw",
                     stdout=io.StringIO())


def test_a_city_reviewer_reads_only_their_own_citys_old_returns(province, carl, paula, as_user):
    from compliance.models import CorrectionRequest

    other_street = Division.objects.get(code="230502001000")
    CorrectionRequest.objects.create(street=other_street, comment="核对面积", created_by=paula)
    url = reverse("compliance:corrections")
    assert "核对面积" not in as_user(carl).get(url).content.decode()  # Jixi's reviewer: 双鸭山市 is not theirs
    assert "核对面积" in as_user(paula).get(url).content.decode()  # the province's reviewer sees both cities
