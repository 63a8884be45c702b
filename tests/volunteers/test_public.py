"""Public team pages: what residents see, and that no volunteer's personal data leaks."""

import datetime
import re

import pytest
from django.urls import reverse

from volunteers import privacy

MOBILE = re.compile(r"1[3-9]\d{9}")
LIST = reverse("volunteers:list")


def detail(team):
    return reverse("volunteers:detail", args=[team.pk])


@pytest.fixture
def private_team(make_team, make_member, make_record, today):
    team = make_team(
        name="建设社区党员先锋志愿服务队", leader="姚秀兰", phone="13812345678", fields=["助老助残"],
        meeting_place="建设社区党群服务中心二楼", how_to_join="周六上午找姚秀兰报名，电话 139 1234 5678。",
    )
    make_member(team, "钱桂芝", phone="13700001111", is_party_member=True)
    make_member(team, "孙德福", phone="15911112222")
    make_record(team, today, 6)
    return team


@pytest.mark.parametrize("page", ["list", "detail"])
def test_public_pages_show_no_mobile_number_and_no_member_or_leader_name(client, private_team, page):
    url = LIST if page == "list" else detail(private_team)
    html = client.get(url).content.decode()
    assert private_team.name in html
    assert MOBILE.search(html) is None
    assert "钱桂芝" not in html and "孙德福" not in html
    assert "姚秀兰" not in html
    assert "姚队长" in html
    assert "请到活动地点或社区咨询" in html
    assert "建设社区党群服务中心二楼" in html


def test_team_landline_is_shown(client, make_team):
    team = make_team(phone="0467-2345678")
    assert "0467-2345678" in client.get(detail(team)).content.decode()


def test_leader_shown_by_surname_including_compound_surnames():
    assert privacy.leader_title("姚秀兰") == "姚队长"
    assert privacy.leader_title("欧阳丽华") == "欧阳队长"
    assert privacy.leader_title("") == ""


@pytest.mark.parametrize("phone", ["13812345678", "138 1234 5678", "138-1234-5678"])
def test_mobile_team_phone_is_never_public(phone):
    assert privacy.public_phone(phone) == ""


@pytest.mark.parametrize("phone", ["0467-2345678", "04672345678", "400-123-4567"])
def test_landline_team_phone_is_public(phone):
    assert privacy.public_phone(phone) == phone


def test_list_filters_by_district_street_and_field(client, city, make_team):
    a = make_team(name="甲队", community=city["community_a"], fields=["助老助残"])
    b = make_team(name="乙队", community=city["community_b"], fields=["环境保护"])
    c = make_team(name="丙队", community=city["community_c"], fields=["助老助残", "环境保护"])

    def names(**params):
        html = client.get(LIST, params).content.decode()
        return {team.name for team in (a, b, c) if team.name in html}

    assert names() == {"甲队", "乙队", "丙队"}
    assert names(district=city["district"].pk) == {"甲队", "乙队"}
    assert names(street=city["street_b"].pk) == {"乙队"}
    field = b.fields.get()
    assert names(field=field.pk) == {"乙队", "丙队"}
    assert names(district=city["district"].pk, field=field.pk) == {"乙队"}


def test_field_filter_does_not_inflate_a_teams_hours(client, make_team, make_record, today):
    team = make_team(fields=["助老助残", "环境保护"])
    make_record(team, today, 5)
    make_record(team, today, 2.5)
    field = team.fields.first()
    html = client.get(LIST, {"field": field.pk}).content.decode()
    assert "7.5 小时" in html


def test_detail_of_unknown_team_is_404(client, city):
    assert client.get(reverse("volunteers:detail", args=[999])).status_code == 404


def test_detail_shows_hours_per_month(client, make_team, make_record, today):
    team = make_team()
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    make_record(team, this_month, 3)
    make_record(team, this_month, 4.5)
    make_record(team, last_month, 2)
    html = client.get(detail(team)).content.decode()
    assert f"<td>{this_month:%Y-%m}</td><td class=\"text-end\">7.5</td>" in html
    assert f"<td>{last_month:%Y-%m}</td><td class=\"text-end\">2</td>" in html
    assert "9.5 小时" in html  # the last 12 months' total: the months added up


def test_list_query_count_does_not_grow_with_teams(client, city, make_team, make_member, make_record, today,
                                                   django_assert_max_num_queries):
    def add(count, community):
        for _ in range(count):
            team = make_team(community=community, fields=["助老助残", "环境保护"])
            make_member(team, "某某")
            make_record(team, today, 2)

    add(2, city["community_a"])
    with django_assert_max_num_queries(8) as few:
        client.get(LIST)
    add(25, city["community_b"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.content.decode().count('<article class="card team-card') == 20  # a full first page


def test_detail_query_count_is_bounded(client, make_team, make_record, today, django_assert_max_num_queries):
    team = make_team(fields=["助老助残", "环境保护", "治安巡逻"])
    for back in range(40):
        make_record(team, today - datetime.timedelta(days=back * 9), 2)
    with django_assert_max_num_queries(4):  # + the published 好差评 (portal tag)
        assert client.get(detail(team)).status_code == 200


def test_the_lists_hours_count_the_last_twelve_months_only(client, make_team, make_record, today):
    # The list's sums are compiled once with a stand-in first day (core.compiled.dated): the real one is used.
    team = make_team(name="计时队")
    make_record(team, today, 4)
    make_record(team, today.replace(day=1) - datetime.timedelta(days=400), 100)
    html = client.get(LIST).content.decode()
    assert "4 小时" in html
    assert "104 小时" not in html
