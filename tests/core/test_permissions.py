"""Persona × URL → status, for the foundation's own pages and admin.

Personas: anonymous resident, alice (clerk of 向阳街道), bob (clerk of 南山街道),
rita (reviewer), adam (administrator). Later apps add their URLs to their own matrices.
"""

import pytest

ANON, ALICE, BOB, RITA, ADAM = "anonymous", "alice", "bob", "rita", "adam"


def _urls(city):
    own = city["community_a"].pk  # a community of alice's street
    other = city["community_b"].pk  # a community of bob's street
    return {
        "home": "/",
        "workspace": "/workspace/",
        "login": "/accounts/login/",
        "admin": "/admin/",
        "divisions": "/admin/core/division/",
        "division_a": f"/admin/core/division/{own}/change/",
        "division_b": f"/admin/core/division/{other}/change/",
        "division_add": "/admin/core/division/add/",
        "users": "/admin/core/user/",
        "holidays": "/admin/core/holiday/",
        "history_a": f"/admin/core/division/{own}/history/",
    }


EXPECTED = {
    #               anonymous alice bob  rita adam
    "home":         (200,     200,  200, 200, 200),
    "workspace":    (302,     200,  200, 200, 200),
    "login":        (200,     200,  200, 200, 200),
    "admin":        (302,     200,  200, 200, 200),
    "divisions":    (302,     200,  200, 200, 200),
    "division_a":   (302,     200,  404, 200, 200),
    "division_b":   (302,     404,  200, 200, 200),
    "division_add": (302,     403,  403, 403, 200),
    "users":        (302,     403,  403, 200, 200),
    "holidays":     (302,     403,  403, 200, 200),
}

CASES = [
    (name, persona, status)
    for name, statuses in EXPECTED.items()
    for persona, status in zip((ANON, ALICE, BOB, RITA, ADAM), statuses, strict=True)
]


@pytest.mark.parametrize(("name", "persona", "status"), CASES)
def test_permission_matrix(request, city, as_user, name, persona, status):
    user = None if persona == ANON else request.getfixturevalue(persona)
    response = as_user(user).get(_urls(city)[name])
    assert response.status_code == status


def test_a_clerk_sees_only_their_streets_divisions_in_the_admin(city, alice, as_user):
    response = as_user(alice).get("/admin/core/division/")
    page = response.content.decode()
    assert "建设社区" in page and "红旗社区" in page
    assert "南山社区" not in page and "东升社区" not in page


def test_a_clerk_may_correct_households_of_their_own_community(city, alice, as_user):
    community = city["community_a"]
    response = as_user(alice).post(
        f"/admin/core/division/{community.pk}/change/",
        {"households": "1100", "population": "2600", "population_60plus": "610", "latitude": "45.3", "longitude": "130.97"},
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.households == 1100
    assert community.code == "230302001001"  # read-only for clerks


def test_a_reviewer_reads_but_cannot_change(city, rita, as_user):
    community = city["community_a"]
    response = as_user(rita).post(
        f"/admin/core/division/{community.pk}/change/", {"households": "1", "name": "改名"}
    )
    assert response.status_code == 403
    community.refresh_from_db()
    assert community.households == 1000


def test_a_clerk_cannot_post_to_another_streets_record(city, alice, as_user):
    community = city["community_b"]
    response = as_user(alice).post(f"/admin/core/division/{community.pk}/change/", {"households": "1"})
    assert response.status_code == 404
    community.refresh_from_db()
    assert community.households == 1200
