"""A clerk cannot attach a record to another street's community through any admin form.

Each case posts the same valid form twice: with a community of the clerk's own street it is saved
(so the payload is right), with a community of another street the form answers with an error on that
field and nothing is saved.
"""

import pytest

from eldercare.models import Elder, ElderCategory, Facility, Visit
from facilities.models import Centre
from tests.eldercare.conftest import valid_id
from volunteers.models import Team, Worker

HOURS = {f"hours_{day}": "08:00-12:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
NO_INLINES = {"visits-TOTAL_FORMS": "0", "visits-INITIAL_FORMS": "0",
              "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0",
              "records-TOTAL_FORMS": "0", "records-INITIAL_FORMS": "0"}

FORMS = {
    "centre": (Centre, "/admin/facilities/centre/add/", "community", {
        "code": "SQ-NEW", "name": "新中心", "address": "幸福路1号", "status": "operating", "phone": "0467-2345678",
        "total_area": "500", "activity_area": "300", **HOURS,
    }),
    "facility": (Facility, "/admin/eldercare/facility/add/", "division", {
        "code": "RZ-NEW", "name": "新日间照料中心", "kind": "daycare", "status": "operating", "address": "幸福路2号",
        "phone": "0467-2345678", "beds": "0", "nursing_beds": "0", "ownership": "public", **HOURS,
    }),
    "elder": (Elder, "/admin/eldercare/elder/add/", "community", {
        "code": "LR-NEW", "name": "王淑珍", "id_number": valid_id("23030219400101765"),
        "phone": "13812340000", **NO_INLINES,
    }),
    "team": (Team, "/admin/volunteers/team/add/", "community", {
        "code": "T-NEW", "name": "新志愿服务队", "member_count": "5", **NO_INLINES,
    }),
    "worker": (Worker, "/admin/volunteers/worker/add/", "workplace", {
        "code": "W-NEW", "name": "新社工", "role": "community_worker", "on_duty": "on", "level": "none", "education_hours": "0",
    }),
}


@pytest.mark.parametrize("kind", FORMS)
def test_a_clerk_cannot_post_another_streets_community(city, alice, as_user, kind):
    model, url, field, data = FORMS[kind]
    if model is Elder:
        data = {**data, "categories": [ElderCategory.objects.get(code="alone").pk]}
    client = as_user(alice)
    response = client.post(url, {**data, field: city["community_b"].pk})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not model.objects.exists()
    response = client.post(url, {**data, field: city["community_a"].pk})
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert model.objects.get().pk


@pytest.fixture
def elder_b(city):
    return Elder.objects.create(code="LR-B", name="李桂兰", community=city["community_b"],
                                id_number=valid_id("23030219380202456"))


@pytest.fixture
def team_b(city):
    return Team.objects.create(code="T-B", name="南山志愿服务队", community=city["community_b"])


def test_a_clerk_cannot_record_a_visit_to_another_streets_elder(elder_b, alice, as_user):
    response = as_user(alice).post(
        "/admin/eldercare/visit/add/", {"elder": elder_b.pk, "visited_on": "2025-03-03", "visitor": "探访员",
                                        "method": "phone"}
    )
    assert response.status_code == 200
    assert "elder" in response.context["adminform"].form.errors
    assert not Visit.objects.exists()


@pytest.mark.parametrize(("url", "data"), [
    ("/admin/volunteers/member/add/", {"name": "队员", "phone": "13912345670"}),
    ("/admin/volunteers/servicerecord/add/", {"date": "2025-03-03", "hours": "2", "activity": "走访"}),
])
def test_a_clerk_cannot_add_rows_to_another_streets_team(team_b, alice, as_user, url, data):
    response = as_user(alice).post(url, {**data, "team": team_b.pk})
    assert response.status_code == 200
    assert "team" in response.context["adminform"].form.errors
    assert not team_b.members.exists() and not team_b.records.exists()
