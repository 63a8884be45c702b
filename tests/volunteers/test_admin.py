"""The admin pages: scoping by street, read-only reviewers, team hours, workplace choices."""

import pytest
from django.urls import reverse

from volunteers.models import Member, ServiceField, ServiceRecord, Worker, WorkerRole


def change_url(obj):
    return reverse(f"admin:volunteers_{obj._meta.model_name}_change", args=[obj.pk])


def team_post(team, **changes):
    data = {
        "code": team.code, "name": team.name, "community": team.community_id,
        "party_backbone": "on", "member_count": team.member_count, "leader": team.leader, "phone": team.phone,
        "meeting_place": team.meeting_place, "how_to_join": team.how_to_join,
        "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0",
        "records-TOTAL_FORMS": "0", "records-INITIAL_FORMS": "0",
        **changes,
    }
    return data


@pytest.fixture
def teams(city, make_team):
    return {"a": make_team(name="向阳队", community=city["community_a"]), "b": make_team(name="南山队", community=city["community_b"])}


def test_clerk_change_list_shows_only_own_streets_teams(as_user, alice, teams):
    html = as_user(alice).get(reverse("admin:volunteers_team_changelist")).content.decode()
    assert "向阳队" in html and "南山队" not in html


@pytest.mark.parametrize("model", ["team", "member", "servicerecord", "worker"])
def test_clerk_gets_404_for_another_streets_record(as_user, bob, teams, make_member, make_record, make_worker,
                                                   today, model):
    records = {
        "team": teams["a"], "member": make_member(teams["a"], "钱桂芝"),
        "servicerecord": make_record(teams["a"], today, 2), "worker": make_worker(),
    }
    assert as_user(bob).get(change_url(records[model])).status_code == 404


def test_reviewer_reads_but_cannot_change_a_team(as_user, rita, teams):
    client = as_user(rita)
    team = teams["a"]
    assert client.get(change_url(team)).status_code == 200
    response = client.post(change_url(team), team_post(team, name="改名"))
    assert response.status_code == 403
    team.refresh_from_db()
    assert team.name == "向阳队"


def test_reviewer_cannot_change_a_worker(as_user, rita, make_worker):
    person = make_worker(name="原名")
    response = as_user(rita).post(change_url(person), {"code": person.code, "name": "改名"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.name == "原名"


def test_clerk_edits_team_with_field_checkboxes_members_and_records_inline(as_user, alice, teams):
    field = ServiceField.objects.create(name="助老助残")
    team = teams["a"]
    client = as_user(alice)
    html = client.get(change_url(team)).content.decode()
    assert 'type="checkbox" name="fields"' in html
    response = client.post(change_url(team), team_post(
        team, fields=[field.pk],
        **{
            "members-TOTAL_FORMS": "1", "members-0-name": "钱桂芝", "members-0-phone": "13700001111",
            "members-0-is_party_member": "on",
            "records-TOTAL_FORMS": "1", "records-0-date": "2025-06-30", "records-0-hours": "3.5",
            "records-0-activity": "走访独居老人",
        },
    ))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(team.fields.all()) == [field]
    assert Member.objects.get(team=team).name == "钱桂芝"
    assert ServiceRecord.objects.get(team=team).hours == 3.5


def test_team_admin_page_shows_hours_per_month(as_user, alice, teams, make_record, today):
    team = teams["a"]
    month = today.replace(day=1)
    make_record(team, month, 2)
    make_record(team, today, 1.5)
    html = as_user(alice).get(change_url(team)).content.decode()
    assert "近 12 个月每月服务时长" in html
    assert f"<tr><td>{month:%Y-%m}</td><td>3.5</td></tr>" in html


def test_clerk_chooses_workplace_among_own_station_and_communities(as_user, alice):
    html = as_user(alice).get(reverse("admin:volunteers_worker_add")).content.decode()
    assert "向阳街道社会工作站（230302001000）" in html
    assert "建设社区（230302001001）" in html and "红旗社区" in html
    assert "南山" not in html and "鸡冠区（" not in html


def test_clerk_adds_station_staff_at_own_street(as_user, alice, city):
    response = as_user(alice).post(reverse("admin:volunteers_worker_add"), {
        "code": "P1", "name": "李建国", "workplace": city["street_a"].pk, "role": WorkerRole.STATION_STAFF,
        "on_duty": "on", "level": "assistant", "certificate_number": "Z-1", "obtained_on": "2023-05-01",
        "registration_valid_until": "2026-05-01", "education_hours": "30",
    })
    assert response.status_code == 302
    assert Worker.objects.get(name="李建国").workplace == city["street_a"]


def test_clerk_cannot_put_a_worker_in_another_street(as_user, alice, city):
    response = as_user(alice).post(reverse("admin:volunteers_worker_add"), {
        "code": "P1", "name": "李建国", "workplace": city["community_b"].pk, "role": WorkerRole.COMMUNITY_WORKER,
        "on_duty": "on", "level": "none", "education_hours": "0",
    })
    assert response.status_code == 200
    assert not Worker.objects.exists()


def test_admin_shows_duplicate_person_error_with_the_workplace(as_user, adam, city, make_worker):
    # Clerks get generated codes (core.codes); the bureau may type one, and a taken one is explained.
    make_worker(code="P1", name="赵淑珍", workplace=city["community_a"])
    response = as_user(adam).post(reverse("admin:volunteers_worker_add"), {
        "code": "P1", "name": "赵淑珍", "workplace": city["community_a2"].pk, "role": WorkerRole.COMMUNITY_WORKER,
        "on_duty": "on", "level": "none", "education_hours": "0",
    })
    html = response.content.decode()
    assert response.status_code == 200, (response.status_code, response.get("Location"), list(Worker.objects.values_list("code", "workplace__code")))
    assert "人员编号 P1 已登记在“向阳街道 · 建设社区（230302001001）”" in html
    assert Worker.objects.count() == 1


def test_workspace_lists_the_volunteer_links(as_user, alice):
    html = as_user(alice).get(reverse("workspace")).content.decode()
    assert reverse("volunteers:deadlines") in html
    assert reverse("admin:volunteers_team_changelist") in html
    assert reverse("admin:volunteers_worker_changelist") in html



def test_team_admin_page_query_count_does_not_grow_with_members_and_records(
    as_user, alice, teams, make_member, make_record, today, django_assert_max_num_queries
):
    team = teams["a"]
    client = as_user(alice)
    make_member(team, "钱桂芝")
    make_record(team, today, 1)
    with django_assert_max_num_queries(20) as few:
        client.get(change_url(team))
    for number in range(15):
        make_member(team, f"队员{number}")
        make_record(team, today, 1, activity=f"活动{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(change_url(team)).status_code == 200
