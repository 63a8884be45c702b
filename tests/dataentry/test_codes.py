"""New records get their code in the documented pattern (core.codes); clerks can't type another one."""

import pytest

from eldercare.models import Facility
from facilities.models import Centre
from volunteers.models import Team, Worker, WorkerRole

TEAM_ADD = "/admin/volunteers/team/add/"


def team_data(community, **overrides):
    return {"code": "", "name": "新队", "community": community.pk, "member_count": "5", "leader": "王芳",
            "phone": "", "meeting_place": "", "how_to_join": "",
            "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0",
            "records-TOTAL_FORMS": "0", "records-INITIAL_FORMS": "0", **overrides}


@pytest.fixture
def inline_prefixes(as_user, alice):
    html = as_user(alice).get(TEAM_ADD).content.decode()
    import re

    return sorted(set(re.findall(r'name="([\w-]+)-TOTAL_FORMS"', html)))


def post_team(client, community, inline_prefixes, **overrides):
    data = team_data(community, **overrides)
    for prefix in inline_prefixes:
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return client.post(TEAM_ADD, data)


def test_the_add_form_shows_the_pattern_with_an_example(as_user, alice):
    html = as_user(alice).get(TEAM_ADD).content.decode()
    assert "ZYD + 社区代码 + 两位序号" in html
    assert "ZYD23030200100101" in html


def test_clerk_adds_a_team_and_gets_the_next_code_of_the_pattern(as_user, alice, city, inline_prefixes):
    client = as_user(alice)
    response = post_team(client, city["community_a"], inline_prefixes, code="MINE")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Team.objects.get().code == "ZYD23030200100101"  # the typed code is ignored: the field is locked
    response = post_team(client, city["community_a"], inline_prefixes, name="第二队")
    assert response.status_code == 302
    assert set(Team.objects.values_list("code", flat=True)) == {"ZYD23030200100101", "ZYD23030200100102"}


def test_a_gap_in_the_numbers_is_filled_first(as_user, alice, city, inline_prefixes):
    Team.objects.create(code="ZYD23030200100102", name="老队", community=city["community_a"], member_count=3)
    response = post_team(as_user(alice), city["community_a"], inline_prefixes)
    assert response.status_code == 302
    assert Team.objects.filter(code="ZYD23030200100101").exists()


def test_bureau_administrator_may_type_a_code_of_their_own(as_user, adam, city, inline_prefixes):
    response = post_team(as_user(adam), city["community_a"], inline_prefixes, code="ZYD-SPECIAL")
    assert response.status_code == 302
    assert Team.objects.get().code == "ZYD-SPECIAL"


def test_the_clerk_sees_the_code_locked_on_the_change_form(as_user, alice, city):
    team = Team.objects.create(code="ZYD23030200100101", name="老队", community=city["community_a"], member_count=3)
    html = as_user(alice).get(f"/admin/volunteers/team/{team.pk}/change/").content.decode()
    assert "编号由系统生成" in html
    assert 'name="code"' in html and "disabled" in html.split('name="code"')[1].split(">")[0]


@pytest.mark.parametrize(
    ("kind", "division_key", "expected"),
    [
        ("daycare", "community_a", "YL-R-230302001001"),
        ("street_centre", "street_a", "YL-J-230302001"),
        ("institution", "street_a", "YL-Y-230302-01"),
    ],
)
def test_an_eldercare_facility_code_follows_its_kind(kind, division_key, expected, city):
    from core.codes import FACILITY_RULES

    assert FACILITY_RULES[kind].next_code(Facility, city[division_key]) == expected


def test_a_second_centre_in_the_community_gets_a_number(city):
    from core.codes import CENTRE, WORKER

    assert CENTRE.next_code(Centre, city["community_a"]) == "SQZX230302001001"
    Centre.objects.create(code="SQZX230302001001", name="甲", community=city["community_a"], total_area=500,
                          activity_area=300)
    assert CENTRE.next_code(Centre, city["community_a"]) == "SQZX23030200100102"
    Worker.objects.create(code="RY23030200100001", name="李", workplace=city["street_a"],
                          role=WorkerRole.STATION_STAFF)
    assert WORKER.next_code(Worker, city["street_a"]) == "RY23030200100002"
