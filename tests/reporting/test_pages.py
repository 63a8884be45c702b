"""Completeness and timeliness, the pages, the district reviewer's scope, query counts and reminders."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import Division, Kind
from reporting import selectors, services
from reporting.models import Period
from tests.personas import make_division

JUNE = datetime.date(2025, 6, 1)
DEADLINE = datetime.date(2025, 7, 5)


def _submitted(street, when):
    period = services.get_period(street, JUNE)
    Period.objects.filter(pk=period.pk).update(
        status="submitted", first_submitted_at=timezone.make_aware(datetime.datetime.combine(when, datetime.time(9))),
    )


def test_completeness_on_time_late_missing(city):
    _submitted(city["street_a"], DEADLINE)  # on the deadline day: on time
    _submitted(city["street_b"], DEADLINE + datetime.timedelta(days=1))  # late
    city_tally, tallies = selectors.completeness(JUNE, today=datetime.date(2025, 7, 20))
    assert (city_tally.streets, city_tally.on_time, city_tally.late, city_tally.missing) == (4, 1, 1, 2)
    d1 = tallies[0]
    assert (d1.streets, d1.on_time, d1.late, d1.missing, d1.submit_rate, d1.timely_rate) == (3, 1, 1, 1, 66.7, 33.3)
    assert tallies[1].missing == 1


def test_the_boards_reporting_row_counts_as_the_completeness_page_does(city):
    _submitted(city["street_a"], DEADLINE)
    _submitted(city["street_b"], DEADLINE + datetime.timedelta(days=1))
    today = datetime.date(2025, 7, 20)
    city_tally, tallies = selectors.completeness(JUNE, today=today)
    total, by_district = selectors.board_completeness(JUNE, None, by="district", today=today)

    def counts(tally):
        return (tally.streets, tally.submitted, tally.on_time, tally.late, tally.missing, tally.pending)

    assert counts(total) == counts(city_tally)
    assert {pk: counts(tally) for pk, tally in by_district.items()} == {t.division.pk: counts(t) for t in tallies}
    inside, _none = selectors.board_completeness(JUNE, city["district"], today=today)
    assert counts(inside) == counts(tallies[0])


def test_a_city_reviewer_on_a_districts_board_sees_each_streets_reporting(city, as_user, alice, rita):
    _submitted(city["street_a"], DEADLINE)
    response = as_user(rita).get(reverse("compliance:matrix"),
                                 {"month": "2025-06", "division": city["district"].code})
    row = next(row for row in response.context["extra_rows"] if row["label"] == "上报率、及时率")
    names = [name for name, _cell in row["labelled"]]
    assert names[0] == city["district"].name  # the board's own division, not the whole city
    cells = dict(row["labelled"])
    assert cells[city["street_a"].name] == "按时上报"
    assert cells[city["street_b"].name] in ("缺报", "未到期")
    assert row["cells"][0].startswith("上报 33.3%")


def test_before_the_deadline_nothing_is_missing(city):
    city_tally, _ = selectors.completeness(JUNE, today=DEADLINE)
    assert (city_tally.missing, city_tally.pending) == (0, 4)


def test_deadline_day_is_a_setting(settings):
    settings.REPORTING_DEADLINE_DAY = 10
    assert services.deadline_for(JUNE) == datetime.date(2025, 7, 10)
    settings.REPORTING_DEADLINE_DAY = 31
    assert services.deadline_for(datetime.date(2025, 1, 1)) == datetime.date(2025, 2, 28)


@pytest.mark.parametrize(("persona", "status"), [
    ("anonymous", 302), ("alice", 404), ("dora", 200), ("rita", 200),
])
def test_completeness_page(city, as_user, alice, dora, rita, persona, status):
    user = {"anonymous": None, "alice": alice, "dora": dora, "rita": rita}[persona]
    assert as_user(user).get("/reporting/completeness/?month=2025-06").status_code == status


@pytest.mark.parametrize(("url", "alice_s", "bob_s", "dora_s", "dave_s", "rita_s"), [
    ("/reporting/230302001000/2025-06/", 200, 404, 200, 404, 200),
    ("/compliance/street/230302001000/", 200, 404, 200, 404, 200),
    ("/compliance/indicator/F1/230302000000/", 404, 404, 200, 404, 200),
    ("/compliance/indicator/F1/230321000000/", 404, 404, 404, 200, 200),
    ("/admin/core/division/%(community_a)s/change/", 200, 404, 200, 404, 200),
])
def test_district_reviewer_sees_own_district_only(city, as_user, alice, bob, dora, dave, rita, url, alice_s, bob_s,
                                                  dora_s, dave_s, rita_s):
    url = url % {"community_a": city["community_a"].pk} if "%(" in url else url
    for user, expected in ((alice, alice_s), (bob, bob_s), (dora, dora_s), (dave, dave_s), (rita, rita_s)):
        assert as_user(user).get(url).status_code == expected, (user.username, url)


def test_district_reviewer_cannot_change_records(city, as_user, dora):
    response = as_user(dora).post(f"/admin/core/division/{city['community_a'].pk}/change/", {"households": "7"})
    assert response.status_code == 403
    assert Division.objects.get(pk=city["community_a"].pk).households == 1000


def test_journey_through_the_pages(city, as_user, alice, dora, rita):
    client = as_user(alice)
    assert client.post("/reporting/230302001000/2025-06/submit/").status_code == 302
    client = as_user(dora)
    assert "230302001000" in client.get("/reporting/").content.decode()
    assert client.post("/reporting/230302001000/2025-06/approve/", {"note": "ok"}).status_code == 302
    client = as_user(rita)
    assert client.post("/reporting/230302001000/2025-06/accept/").status_code == 302
    period = Period.objects.get(street=city["street_a"], month=JUNE)
    assert period.status == "accepted"
    assert [event.action for event in period.events.all()] == ["submit", "approve", "accept"]


def test_clerk_cannot_approve_through_the_page(city, as_user, alice):
    as_user(alice).post("/reporting/230302001000/2025-06/submit/")
    as_user(alice).post("/reporting/230302001000/2025-06/approve/")
    assert Period.objects.get(street=city["street_a"], month=JUNE).status == "submitted"


def test_matrix_keeps_the_approved_figures_after_a_later_edit(city, as_user, alice, dora):
    from tests.facilities.conftest import make_centre

    centre = make_centre(city["community_a"], "SQ-A1")
    as_user(alice).post("/reporting/230302001000/2025-06/submit/")
    as_user(dora).post("/reporting/230302001000/2025-06/approve/")
    before = as_user(alice).get("/compliance/?month=2025-06").content.decode()
    type(centre).objects.filter(pk=centre.pk).update(total_area=centre.total_area * 3)
    after = as_user(alice).get("/compliance/?month=2025-06").content.decode()
    assert 'id="official-figures"' in after
    assert "33.33" in before and "33.33" in after  # F3 = 600 m² × 100 ÷ 1,800 households, as approved
    live = as_user(alice).get("/compliance/?month=2025-07").content.decode()
    assert "33.33" not in live  # July is not approved: today's 1,800 m² × 100 ÷ 1,800 households
    page = as_user(alice).get("/reporting/230302001000/2025-06/").content.decode()
    assert "审核后修改" in page and "F3" in page


def _more_streets(city, count):
    for number in range(count):
        street = make_division(f"23030210{number}000", f"新街道{number}", Kind.STREET, city["district"])
        make_division(f"23030210{number}001", f"新社区{number}", Kind.COMMUNITY, street, households=100,
                      population=300, population_60plus=50)
        services.get_period(street, JUNE)


@pytest.mark.parametrize("url", ["/compliance/?month=2025-06", "/reporting/completeness/?month=2025-06"])
def test_query_count_does_not_grow_with_streets(city, as_user, dora, rita, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for user in (rita, dora):
        client = as_user(user)
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        if user is rita:
            _more_streets(city, 3)
            client.get(url)  # a write retires cached public parts (holiday calendar): warm them again
        with CaptureQueriesContext(connection) as large:
            client.get(url)
        counts.append((len(small), len(large)))
        with django_assert_max_num_queries(len(small)):
            client.get(url)
    assert all(small == large for small, large in counts), counts


def test_reminders(city, alice, bob, dora):
    alice.email, bob.email, dora.email = "a@x.cn", "b@x.cn", "d@x.cn"
    for user in (alice, bob, dora):
        user.save()
    _submitted(city["street_a"], DEADLINE)
    call_command("send_reminders", today="2025-07-02")
    assert [message.to for message in mail.outbox] == [["b@x.cn"]]
    assert "截止" in mail.outbox[0].subject
    call_command("send_reminders", today="2025-07-02")
    assert len(mail.outbox) == 1  # sent once
    call_command("send_reminders", today="2025-07-06")
    assert sorted(mail.outbox[1].to) == ["b@x.cn", "d@x.cn"] and "逾期" in mail.outbox[1].subject


def test_return_notice_and_workspace_banners(city, as_user, alice, dora):
    from django.contrib.contenttypes.models import ContentType

    alice.email = "a@x.cn"
    alice.save()
    period = services.get_period(city["street_a"], services.period_to_submit())
    services.submit(user=alice, period=period)
    record = f"{ContentType.objects.get_for_model(Division).pk}:{city['community_a'].pk}"
    services.return_period(user=dora, period=period, reason="户数有误", records=[record],
                           deadline=timezone.localdate() - datetime.timedelta(days=1))
    call_command("send_reminders")
    assert any("退回" in message.subject for message in mail.outbox)
    page = as_user(alice).get("/workspace/").content.decode()
    assert page.index("已逾期") < page.index("未达标指标") if "未达标指标" in page else "已逾期" in page
    dora_page = as_user(dora).get("/workspace/").content.decode()
    assert "逾期" in dora_page


def test_return_shows_on_the_record_and_the_street_page_lists_rule_issues(city, as_user, alice, dora):
    from django.contrib.contenttypes.models import ContentType

    period = services.get_period(city["street_a"], JUNE)
    services.submit(user=alice, period=period)
    record = f"{ContentType.objects.get_for_model(Division).pk}:{city['community_a2'].pk}"
    services.return_period(user=dora, period=period, reason="户数与常住人口不符", records=[record], indicator="F3")
    page = as_user(alice).get(f"/admin/core/division/{city['community_a2'].pk}/change/").content.decode()
    assert "户数与常住人口不符" in page
    other = as_user(alice).get(f"/admin/core/division/{city['community_a'].pk}/change/").content.decode()
    assert "户数与常住人口不符" not in other
    Division.objects.filter(pk=city["community_a2"].pk).update(households=2001)
    street_page = as_user(alice).get("/compliance/street/230302001000/").content.decode()
    assert "户数 2001 大于常住人口 2000" in street_page


def test_admin_save_is_refused_by_an_error_rule(city, as_user, alice):
    community = city["community_a"]
    url = f"/admin/core/division/{community.pk}/change/"
    client = as_user(alice)
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"households": "2600", "lock_version": community.version})
    data = {key: value for key, value in data.items() if not isinstance(value, list | tuple)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "大于常住人口" in response.content.decode()
    assert Division.objects.get(pk=community.pk).households == 1000


def test_completeness_page_query_bound(city, as_user, dora, rita, django_assert_max_num_queries):
    """session + user (+ the district reviewer's district), then ONE query for every street and its period."""
    _more_streets(city, 4)
    for user, bound in ((rita, 3), (dora, 4)):
        client = as_user(user)
        client.get("/reporting/completeness/?month=2025-06")
        with django_assert_max_num_queries(bound):
            assert client.get("/reporting/completeness/?month=2025-06").status_code == 200


def _waiting(city, first, count):
    """Streets ``first`` … of 鸡冠区, each with June submitted (waiting) and May returned, fixed and resubmitted."""
    from django.contrib.contenttypes.models import ContentType

    from tests.personas import _user

    reviewer = _user(f"reviewer-{first}", "district", city["district"])
    for index in range(first, first + count):
        street = make_division(f"2303023{index:02d}000", f"待审街道{index}", Kind.STREET, city["district"])
        community = make_division(f"2303023{index:02d}001", f"待审社区{index}", Kind.COMMUNITY, street,
                                  households=100, population=300, population_60plus=50)
        clerk = _user(f"clerk-{index}", "clerk", street)
        may = services.get_period(street, datetime.date(2025, 5, 1))
        services.submit(user=clerk, period=may)
        record = f"{ContentType.objects.get_for_model(Division).pk}:{community.pk}"
        [item] = services.return_period(user=reviewer, period=may, reason="核对户数", records=[record])
        services.mark_fixed(user=clerk, item=item, note="已核对")
        services.submit(user=clerk, period=may)
        services.submit(user=clerk, period=services.get_period(street, JUNE))


@pytest.mark.parametrize("url", ["/reporting/", "/workspace/", "/reporting/230302001000/2025-06/"])
def test_district_pages_query_count_does_not_grow_with_streets_or_periods(city, as_user, alice, dora, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.submit(user=alice, period=services.get_period(city["street_a"], JUNE))
    client = as_user(dora)
    counts = []
    for first, count in ((0, 1), (1, 4)):
        _waiting(city, first, count)
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    assert Period.objects.filter(status="submitted").count() == 1 + 5 * 2  # street A's June, and May, June of 5
    assert counts[0] == counts[1], counts


def test_the_reviewers_list_of_returns_flags_the_overdue_ones(city, as_user, alice, dora):
    """The workspace's “N 条退回事项已逾期未修改” leads to this list: it must say which ones."""
    from django.contrib.contenttypes.models import ContentType

    period = services.get_period(city["street_a"], JUNE)
    services.submit(user=alice, period=period)
    community = ContentType.objects.get_for_model(Division).pk
    today = timezone.localdate()
    services.return_period(user=dora, period=period, reason="户数有误", deadline=today - datetime.timedelta(days=1),
                           records=[f"{community}:{city['community_a'].pk}"])
    page = as_user(dora).get("/reporting/").content.decode()
    returns = page[page.index("未关闭的退回事项"):]
    assert "建设社区" in returns and "已逾期" in returns


def test_the_return_form_names_each_indicator_and_the_deadline_setting(city, as_user, alice, dora, settings):
    settings.REPORTING_RETURN_DAYS = 10
    services.submit(user=alice, period=services.get_period(city["street_a"], JUNE))
    page = as_user(dora).get("/reporting/230302001000/2025-06/").content.decode()
    form = page[page.index('id="return-form"'):page.index("</form>", page.index('id="return-form"'))]
    assert '<option value="F4">F4 居民活动区域面积占比</option>' in form
    assert "留空为 10 天后" in form


def test_a_city_reviewers_completeness_page_is_their_own_city(city, as_user, rita):
    """In a province, 鸡西市's reviewer sees 鸡西市's streets, not another city's (whose pages are a 404 to them)."""
    from tests.builders import DivisionFactory
    from tests.personas import _user

    jixi = DivisionFactory(code="230300000000", name="鸡西市", kind=Kind.CITY)
    for district in (city["district"], city["district2"]):
        district.parent = jixi
        district.full_clean()
        district.save()
    other_city = DivisionFactory(code="230500000000", name="双鸭山市", kind=Kind.CITY)
    other_district = DivisionFactory(code="230502000000", name="尖山区", kind=Kind.DISTRICT, parent=other_city)
    DivisionFactory(code="230502001000", name="中心站街道", kind=Kind.STREET, parent=other_district)
    reviewer = _user("jixi", "reviewer", Division.objects.get(pk=jixi.pk))
    page = as_user(reviewer).get("/reporting/completeness/?month=2025-06").content.decode()
    assert "向阳街道" in page and "鸡东镇街道" in page
    assert "中心站街道" not in page and "尖山区" not in page
    assert as_user(reviewer).get("/reporting/230502001000/2025-06/").status_code == 404
    everything = as_user(rita).get("/reporting/completeness/?month=2025-06").content.decode()
    assert "中心站街道" in everything  # a city reviewer without a division: the whole area, as before
