"""Each validation rule at its edge, on the record, the street and the workbook import."""

import datetime

import pytest
from django.utils import timezone

from core import record_checks
from core.models import Division
from eldercare.models import Elder, Visit
from reporting import rules
from reporting.models import Severity, ValidationRule
from volunteers.models import CertificateLevel, Worker, WorkerRole


def _codes(obj):
    return [message for _field, message, _severity in record_checks.issues(obj)]


@pytest.fixture(autouse=True)
def _fresh_rules():
    rules.forget_settings()
    yield
    rules.forget_settings()


def test_population_60plus_at_its_edge(city):
    community = city["community_a"]
    community.population_60plus = community.population
    assert _codes(community) == []
    community.population_60plus = community.population + 1
    assert "60岁以上人口" in _codes(community)[0]


def test_households_at_its_edge(city):
    community = city["community_a"]
    community.households = community.population
    assert _codes(community) == []
    community.households = community.population + 1
    assert "户数" in _codes(community)[0]


def test_nursing_beds_at_its_edge(city):
    from eldercare.models import FacilityKind
    from tests.eldercare.conftest import build_facility

    facility = build_facility(city["community_a"], code="JG-1", kind=FacilityKind.INSTITUTION, beds=10, nursing_beds=10)
    assert _codes(facility) == []
    facility.nursing_beds = 11
    assert "护理型床位" in _codes(facility)[0]


def _elder(city, **fields):
    from tests.eldercare.conftest import valid_id

    elder = Elder(code="LR-1", name="张", community=city["community_a"], id_number=valid_id("23030219400101123"),
                  **fields)
    elder.save()
    return elder


def test_visit_today_passes_tomorrow_fails(city):
    today = timezone.localdate()
    visit = Visit(elder=_elder(city), visited_on=today, visitor="甲", method="phone")
    assert _codes(visit) == []
    visit.visited_on = today + datetime.timedelta(days=1)
    assert "晚于今天" in _codes(visit)[0]


def test_visit_on_registration_day_passes_day_before_fails(city):
    elder = _elder(city, registered_on=datetime.date(2025, 3, 1))
    visit = Visit(elder=elder, visited_on=datetime.date(2025, 3, 1), visitor="甲", method="phone")
    assert _codes(visit) == []
    visit.visited_on = datetime.date(2025, 2, 28)
    assert "早于老人登记日期" in _codes(visit)[0]


def test_certificate_dates(city):
    today = timezone.localdate()
    worker = Worker(code="W1", name="甲", workplace=city["community_a"], role=WorkerRole.COMMUNITY_WORKER,
                    on_duty=True, level=CertificateLevel.ASSISTANT, certificate_number="C1", obtained_on=today,
                    registration_valid_until=today + datetime.timedelta(days=1))
    assert _codes(worker) == []
    worker.obtained_on = today + datetime.timedelta(days=1)
    assert any("晚于今天" in message for message in _codes(worker))
    assert any("应晚于取得日期" in message for message in _codes(worker))


def test_date_before_1900(city):
    visit = Visit(elder=_elder(city), visited_on=datetime.date(1900, 1, 1), visitor="甲", method="phone")
    assert _codes(visit) == []
    visit.visited_on = datetime.date(1899, 12, 31)
    assert any("1900" in message for message in _codes(visit))


def test_severity_and_switch_are_data(city):
    community = city["community_a"]
    community.households = community.population + 1
    ValidationRule.objects.filter(code="households").update(severity=Severity.WARNING)
    rules.forget_settings()
    assert [severity for *_rest, severity in record_checks.issues(community)] == ["warning"]
    assert record_checks.errors(community) == []
    ValidationRule.objects.filter(code="households").update(enabled=False)
    rules.forget_settings()
    assert record_checks.issues(community) == []


def test_street_issues_find_failing_records(city):
    Division.objects.filter(pk=city["community_a2"].pk).update(population_60plus=5000)
    issues = rules.street_issues(city["street_a"])
    assert [issue.rule for issue in issues] == ["population_60plus"]
    assert "红旗社区" in issues[0].message
    assert rules.street_issues(city["street_b"]) == []


def test_centre_area_far_from_city_distribution_is_a_warning(city):
    from tests.facilities.conftest import make_centre

    for key in ("community_a", "community_b", "community_c", "village"):
        make_centre(city[key], f"SQ-{key}")
    assert [i.rule for i in rules.street_issues(city["street_a"])] == []
    huge = make_centre(city["community_a2"], "SQ-HUGE")
    type(huge).objects.filter(pk=huge.pk).update(total_area=huge.total_area * 100, activity_area=huge.activity_area)
    issues = rules.street_issues(city["street_a"])
    assert [(issue.rule, issue.severity) for issue in issues] == [("centre_area_outlier", "warning")]


def test_the_citys_median_is_kept_until_a_centre_or_a_community_changes(city):
    """The street page reads the city's distribution once, not on every view: a second look sends no city-wide
    grouped sum, and a saved centre elsewhere in the city, or a community's households, retire it at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.facilities.conftest import make_centre

    for key in ("community_a", "community_b", "community_c", "village"):
        make_centre(city[key], f"SQ-{key}")
    small = make_centre(city["community_a2"], "SQ-SMALL")
    street_a = city["street_a"]
    def read(queries, table):
        return len([q for q in queries if table in q["sql"]])

    with CaptureQueriesContext(connection) as cold:
        assert [i.rule for i in rules.street_issues(street_a)] == []
    with CaptureQueriesContext(connection) as warm:
        assert [i.rule for i in rules.street_issues(street_a)] == []
    # The city's kept areas (a count and the middle rows), then not again; the street's grouped sum and the date
    # rule's look for centres both times.
    assert (read(cold.captured_queries, "reporting_communityarea"),
            read(warm.captured_queries, "reporting_communityarea")) == (2, 0)
    assert (read(cold.captured_queries, "facilities_centre"), read(warm.captured_queries, "facilities_centre")) == (2, 2)

    # The other streets' centres become a hundred times larger and are saved: street A's are now far below.
    for key in ("community_b", "community_c", "village"):
        centre = type(small).objects.get(community=city[key])
        centre.total_area *= 100
        centre.activity_area *= 100
        centre.save()
    assert {i.rule for i in rules.street_issues(street_a)} == {"centre_area_outlier"}

    # Street A's community a2 gets a hundredth of its households: its area per 100 households is near the rest.
    for key in ("community_a", "community_a2"):
        community = Division.objects.get(pk=city[key].pk)
        community.households = max(1, community.households // 100)
        community.save()
    assert [i.rule for i in rules.street_issues(street_a)] == []


def test_in_a_province_a_centres_area_is_compared_with_its_own_citys(city):
    """全市 is the street's city: five centres a hundred times larger in another city of the province do not make
    street A's ordinary ones outliers (against the whole province's median they would be)."""
    from core.models import Kind
    from tests.builders import CentreFactory, DivisionFactory

    province = DivisionFactory(code="230000000000", name="黑龙江省", kind=Kind.PROVINCE)
    jixi = DivisionFactory(code="230300000000", name="鸡西市", kind=Kind.CITY, parent=province)
    for district in (city["district"], city["district2"]):
        district.parent = jixi
        district.full_clean()
        district.save()
    other_city = DivisionFactory(code="230500000000", name="双鸭山市", kind=Kind.CITY, parent=province)
    other_district = DivisionFactory(code="230502000000", name="尖山区", kind=Kind.DISTRICT, parent=other_city)
    other_street = DivisionFactory(code="230502001000", name="中心站街道", kind=Kind.STREET, parent=other_district)
    for key in ("community_a", "community_a2", "community_b", "community_c", "village"):
        CentreFactory(community=city[key], code=f"SQ-{key}")
    for number in range(1, 7):
        community = DivisionFactory(code=f"23050200100{number}", name=f"中心{number}社区", kind=Kind.COMMUNITY,
                                    parent=other_street, households=1000, population=2500, population_60plus=600)
        centre = CentreFactory(community=community, code=f"SQ-O{number}")
        type(centre).objects.filter(pk=centre.pk).update(total_area=centre.total_area * 100)
    street_a = Division.objects.get(pk=city["street_a"].pk)  # now in 鸡西市
    assert street_a.city_id == jixi.pk
    assert [issue.rule for issue in rules.street_issues(street_a)] == []
    issues = rules.street_issues(other_street)  # and none there either: its city's median is its own
    assert [issue.rule for issue in issues] == []


def test_import_refuses_a_workbook_with_an_error_naming_row_and_column(city, alice):
    from exchange.importer import import_workbook
    from tests.exchange.helpers import workbook_bytes

    data = workbook_bytes({"社区村": [
        ["230302001001", "建设社区", "230302001000", "社区", 1000, 2500, 2501, 45.30, 130.97],
    ]})
    result = import_workbook(data, file_name="x.xlsx", user=alice)
    assert not result.ok
    assert any("第2行" in error and "60岁以上人口" in error for error in result.errors), result.errors
    assert Division.objects.get(code="230302001001").population_60plus == 600


def test_a_volunteer_service_date_before_1900_is_an_error_on_the_record_and_the_street(city):
    """The volunteer teams' service records (志愿服务记录, entered in the admin) have a date too."""
    from tests.builders import ServiceRecordFactory, TeamFactory

    record = ServiceRecordFactory(team=TeamFactory(community=city["community_a"]), date=datetime.date(1900, 1, 1))
    assert _codes(record) == []
    record.date = datetime.date(1899, 12, 31)
    assert any("1900" in message for message in _codes(record))
    type(record).objects.filter(pk=record.pk).update(date=record.date)
    assert [issue.rule for issue in rules.street_issues(city["street_a"])] == ["date_before_1900"]


def test_beds_per_thousand_elderly_far_from_the_citys_streets_is_a_warning_at_five_times(city):
    """Beds per 1,000 aged 60+: 南山街道 70 ÷ 700, 红星乡 25 ÷ 250, 鸡东镇街道 52 ÷ 520 are 100 each; 向阳街道 (1,100
    aged 60+) at 550 beds is 500, exactly five times the median (not far); at 551 it is far."""
    from eldercare.models import Facility, FacilityKind
    from tests.eldercare.conftest import build_facility

    for key, beds in (("community_b", 70), ("village", 25), ("community_c", 52)):
        build_facility(city[key], code=f"JG-{key}", kind=FacilityKind.INSTITUTION, beds=beds, nursing_beds=0)
    facility = build_facility(city["community_a"], code="JG-A", kind=FacilityKind.INSTITUTION, beds=550,
                              nursing_beds=0)
    assert rules.street_issues(city["street_a"]) == []
    Facility.objects.filter(pk=facility.pk).update(beds=551)
    issues = rules.street_issues(city["street_a"])
    assert [(issue.rule, issue.severity) for issue in issues] == [("beds_outlier", "warning")]
    assert "中位数 100" in issues[0].message
    assert rules.street_issues(city["street_b"]) == []
    Facility.objects.filter(pk=facility.pk).update(beds=19)  # 17.3: below a fifth of the median (20)
    assert [issue.rule for issue in rules.street_issues(city["street_a"])] == ["beds_outlier"]
    Facility.objects.filter(pk=facility.pk).update(beds=22)  # 20: exactly a fifth, not far
    assert rules.street_issues(city["street_a"]) == []


def test_submission_is_refused_by_an_error_and_by_an_unexplained_warning(city, alice):
    from django.core.exceptions import ValidationError

    from reporting import services
    from reporting.models import Explanation, Period, Status

    period = services.get_period(city["street_a"], datetime.date(2025, 6, 1))
    Division.objects.filter(pk=city["community_a2"].pk).update(households=2001)  # 户数 > 常住人口 2,000: an error
    with pytest.raises(ValidationError, match="数据校验错误"):
        services.submit(user=alice, period=period)
    ValidationRule.objects.update_or_create(code="households", defaults={"name": "户数", "severity": Severity.WARNING})
    rules.forget_settings()
    [warning] = rules.street_issues(city["street_a"])
    with pytest.raises(ValidationError, match="警告须书面说明"):
        services.submit(user=alice, period=period, explanations={warning.key: "  "})
    period.refresh_from_db()
    assert period.status == Status.OPEN and not Explanation.objects.exists()
    submitted = services.submit(user=alice, period=period, explanations={warning.key: "集体户"})
    assert submitted.status == Status.SUBMITTED
    assert Explanation.objects.get().text == "集体户"
    # Returned and submitted again: the same warning's explanation is replaced, not stored twice.
    Period.objects.filter(pk=period.pk).update(status=Status.RETURNED)
    services.submit(user=alice, period=period, explanations={warning.key: "集体户，已与公安户籍核对"})
    assert list(Explanation.objects.values_list("text", flat=True)) == ["集体户，已与公安户籍核对"]
