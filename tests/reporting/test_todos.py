"""The workspace as a to-do list: every kind of item, most urgent first, and the same month as the reviewer's."""

import datetime

from django.contrib.contenttypes.models import ContentType

from core.models import Division
from facilities.models import Centre
from reporting import services
from reporting.todos import todos_for
from tests.builders import ElderFactory, WorkerFactory
from tests.facilities.conftest import make_centre

TODAY = datetime.date(2025, 7, 3)  # June is due on 2025-07-05


def test_a_clerks_todos_cover_every_kind_most_urgent_first(city, alice, dora):
    community = city["community_a"]
    ElderFactory(community=community)  # not visited in July
    centre = make_centre(community, "SQ-OLD")
    Centre.objects.filter(pk=centre.pk).update(verified_on=TODAY - datetime.timedelta(days=181))
    WorkerFactory(workplace=community, until=TODAY + datetime.timedelta(days=10))
    WorkerFactory(workplace=community, until=TODAY + datetime.timedelta(days=200))  # not due on TODAY
    Division.objects.filter(pk=city["community_a2"].pk).update(households=2001)  # 户数 > 常住人口: an error
    june = services.get_period(city["street_a"], datetime.date(2025, 6, 1))
    june.status = "submitted"
    june.save()
    record = f"{ContentType.objects.get_for_model(Division).pk}:{community.pk}"
    services.return_period(user=dora, period=june, reason="户数有误", records=[record],
                           deadline=TODAY - datetime.timedelta(days=2))
    titles = [item["title"] for item in todos_for(alice, today=TODAY)]
    expected = ["1 条退回事项已逾期", "2025-06 数据待提交，截止 2025-07-05", "1 个数据校验错误", "本街道未达标指标",
                "本月尚未探访的特殊困难老年人 1 人", "1 个设施超过 180 天未核实", "1 名社工登记即将到期或已过期"]
    assert len(titles) == len(expected), titles
    for title, start in zip(titles, expected, strict=True):
        assert title.startswith(start), titles
    overdue = todos_for(dora, today=TODAY)
    assert overdue[0]["title"] == "1 条退回事项已逾期未修改"


def test_the_clerks_and_the_reviewers_pages_agree_on_the_month(city, as_user, alice, dora):
    month = f"{services.period_to_submit():%Y-%m}"
    services.submit(user=alice, period=services.get_period(city["street_a"], services.period_to_submit()))
    clerk = as_user(alice).get("/reporting/")
    assert clerk.url == f"/reporting/{city['street_a'].code}/{month}/"
    reviewer = as_user(dora).get("/reporting/").content.decode()
    assert f"completeness/?month={month}" in reviewer and f"向阳街道 {month}" in reviewer
    todo = next(item for item in todos_for(dora) if "等待审核" in item["title"])
    assert as_user(dora).get(todo["url"]).status_code == 200


def test_a_district_reviewer_is_told_of_an_approved_month_changed_after_approval(city, alice, dora, dave, as_user):
    from reporting import selectors

    centre = make_centre(city["community_a"], "SQ-A1")
    june = services.submit(user=alice, period=services.get_period(city["street_a"], datetime.date(2025, 6, 1)))
    services.approve(user=dora, period=june)
    title = "1 个已审核通过的街道月份审核后修改，须重新打开"
    centre.name = "建设社区综合服务中心"
    centre.save()  # an edit after the approval that changes no figure
    assert selectors.changed_after_approval(dora) == []
    centre.total_area = centre.total_area * 2
    centre.save()  # F3 (area per 100 households) moves
    todos = todos_for(dora, today=TODAY)
    assert [item["title"] for item in todos] == [title] and todos[0]["url"].startswith("/reporting/")
    home = as_user(dora).get("/reporting/").content.decode()
    assert "审核后修改，须重新打开" in home and "向阳街道 2025-06" in home and "F3 " in home
    assert todos_for(dave, today=TODAY) == [] and selectors.changed_after_approval(alice) == []
    services.reopen(user=dora, period=june, note="面积有变化，重新审核")
    assert todos_for(dora, today=TODAY) == []
