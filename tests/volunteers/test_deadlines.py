"""The clerk's registration and continuing-education page, at its date and hour boundaries."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from volunteers import selectors
from volunteers.models import CertificateLevel, WorkerRole

URL = reverse("volunteers:deadlines")


def days(n):
    return datetime.timedelta(days=n)


def codes(rows):
    return [row.worker.code for row in rows]


@pytest.fixture
def boundary_people(make_worker, today):
    return {
        "today": make_worker(code="EXP-TODAY", until=today),
        "in90": make_worker(code="EXP-90", until=today + days(90)),
        "in91": make_worker(code="EXP-91", until=today + days(91)),
        "yesterday": make_worker(code="LAPSED-1", until=today - days(1)),
    }


def test_registrations_due_include_today_day_90_and_yesterday_but_not_day_91(alice, boundary_people, today):
    rows = selectors.registrations_due(alice, alice.division, today=today)
    assert codes(rows) == ["LAPSED-1", "EXP-TODAY", "EXP-90"]
    assert [row.days_remaining for row in rows] == [-1, 0, 90]
    assert rows[0].lapsed and rows[0].days_lapsed == 1
    assert not rows[1].lapsed


def test_deadline_page_shows_days_remaining_at_each_boundary(as_user, alice, boundary_people):
    page = as_user(alice).get(URL).content.decode()
    assert "已过期 1 天" in page
    assert "今天到期" in page
    assert "还剩 90 天" in page
    assert "EXP-91" not in page


@override_settings(REGISTRATION_WARNING_DAYS=30)
def test_warning_horizon_comes_from_settings(alice, make_worker, today):
    make_worker(code="IN30", until=today + days(30))
    make_worker(code="IN31", until=today + days(31))
    assert codes(selectors.registrations_due(alice, alice.division, today=today)) == ["IN30"]


def test_renewal_window_is_the_last_three_months_of_the_registration(alice, make_worker):
    make_worker(code="W", until=datetime.date(2026, 5, 28))
    before = selectors.registrations_due(alice, alice.division, today=datetime.date(2026, 2, 27))
    opening = selectors.registrations_due(alice, alice.division, today=datetime.date(2026, 2, 28))
    assert before[0].window_opens == datetime.date(2026, 2, 28)
    assert not before[0].window_open
    assert opening[0].window_open


def test_three_months_back_from_a_month_end_is_clamped_to_the_shorter_month():
    assert selectors.months_back(datetime.date(2026, 5, 31), 3) == datetime.date(2026, 2, 28)
    assert selectors.months_back(datetime.date(2026, 2, 15), 3) == datetime.date(2025, 11, 15)


def test_lapsed_registration_is_not_in_an_open_window(alice, make_worker, today):
    make_worker(code="W", until=today - days(1))
    row = selectors.registrations_due(alice, alice.division, today=today)[0]
    assert not row.window_open


def test_certified_person_without_registration_date_is_listed(alice, make_worker, today):
    make_worker(code="NODATE", until=None)
    rows = selectors.registrations_due(alice, alice.division, today=today)
    assert codes(rows) == ["NODATE"] and rows[0].days_remaining is None


def test_off_duty_and_uncertified_people_are_not_listed(alice, make_worker, today):
    make_worker(code="OFF", until=today, on_duty=False, education_hours=Decimal(0))
    make_worker(code="NONE", level=CertificateLevel.NONE, education_hours=Decimal(0))
    assert selectors.registrations_due(alice, alice.division, today=today) == []
    assert selectors.education_short(alice, alice.division, today=today) == []


@pytest.mark.parametrize(
    ("level", "hours", "short"),
    [
        (CertificateLevel.ASSISTANT, "71.5", True),
        (CertificateLevel.ASSISTANT, "72", False),
        (CertificateLevel.SOCIAL_WORKER, "89.5", True),
        (CertificateLevel.SOCIAL_WORKER, "90", False),
        (CertificateLevel.SENIOR, "72", True),
        (CertificateLevel.SENIOR, "90", False),
    ],
)
def test_education_hours_short_of_the_levels_requirement(alice, make_worker, today, level, hours, short):
    make_worker(code="W", level=level, education_hours=Decimal(hours))
    rows = selectors.education_short(alice, alice.division, today=today)
    assert bool(rows) is short
    if short:
        assert rows[0].hours_short == rows[0].required_hours - Decimal(hours)


@override_settings(SOCIAL_WORK_EDUCATION_HOURS={"assistant": 10, "social_worker": 20, "senior": 20})
def test_required_hours_come_from_settings(alice, make_worker, today):
    make_worker(code="A", level=CertificateLevel.ASSISTANT, education_hours=Decimal(9))
    make_worker(code="B", level=CertificateLevel.SOCIAL_WORKER, education_hours=Decimal(20))
    rows = selectors.education_short(alice, alice.division, today=today)
    assert codes(rows) == ["A"] and rows[0].required_hours == 10


def test_education_page_shows_the_shortfall_and_days_left(as_user, alice, make_worker, today):
    make_worker(code="SHORT", name="孙丽娜", level=CertificateLevel.ASSISTANT, education_hours=Decimal(50),
                until=today + days(200))
    page = as_user(alice).get(URL).content.decode()
    assert "孙丽娜" in page and "还剩 200 天" in page
    assert ">22<" in page  # 72 − 50


def test_clerk_sees_own_street_including_its_station_but_not_another_street(as_user, alice, city, make_worker, today):
    make_worker(code="A-COMM", workplace=city["community_a2"], until=today)
    make_worker(code="A-STATION", workplace=city["street_a"], role=WorkerRole.STATION_STAFF, until=today)
    make_worker(code="B-COMM", workplace=city["community_b"], until=today)
    page = as_user(alice).get(URL, {"division": city["street_b"].pk}).content.decode()
    assert "A-COMM" in page and "A-STATION" in page
    assert "B-COMM" not in page
    assert "向阳街道社会工作站" in page


def test_bureau_reviewer_sees_the_city_or_chooses_a_district_or_street(as_user, rita, city, make_worker, today):
    make_worker(code="A-COMM", workplace=city["community_a"], until=today)
    make_worker(code="C-COMM", workplace=city["community_c"], until=today)
    client = as_user(rita)
    everything = client.get(URL).content.decode()
    assert "A-COMM" in everything and "C-COMM" in everything
    district2 = client.get(URL, {"division": city["district2"].pk}).content.decode()
    assert "C-COMM" in district2 and "A-COMM" not in district2
    street_a = client.get(URL, {"division": city["street_a"].pk}).content.decode()
    assert "A-COMM" in street_a and "C-COMM" not in street_a


def test_anonymous_visitor_is_sent_to_login(client, city):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_deadline_page_query_count_does_not_grow_with_people(as_user, rita, city, make_worker, today,
                                                             django_assert_max_num_queries):
    client = as_user(rita)
    for number in range(3):
        make_worker(code=f"X{number}", workplace=city["community_a"], until=today, education_hours=Decimal(0))
    with django_assert_max_num_queries(6) as few:
        client.get(URL)
    for number in range(3, 20):
        make_worker(code=f"X{number}", workplace=city["community_c"], until=today, education_hours=Decimal(0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.content.decode().count("X1") >= 2
