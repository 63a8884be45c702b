"""History pages of the admin follow the record's scope, and a posted revision is a change like any other."""

import pytest

from compliance.models import Plan
from facilities.models import Service


def _revision(obj):
    return obj.history.order_by("-history_id").first().history_id


FIGURES = {"households": "1", "population": "2", "population_60plus": "1", "latitude": "", "longitude": ""}


def test_a_clerk_cannot_read_the_history_of_another_streets_community(city, alice, as_user):
    community = city["community_b"]
    client = as_user(alice)
    assert client.get(f"/admin/core/division/{community.pk}/history/").status_code == 404
    assert client.get(f"/admin/core/division/{community.pk}/history/{_revision(community)}/").status_code == 404


def test_a_clerk_cannot_overwrite_another_streets_community_through_its_history_page(city, alice, as_user):
    community = city["community_b"]
    response = as_user(alice).post(f"/admin/core/division/{community.pk}/history/{_revision(community)}/", FIGURES)
    assert response.status_code == 404
    community.refresh_from_db()
    assert community.households == 1200


def test_a_reviewer_cannot_change_a_record_by_posting_a_revision(city, rita, as_user):
    community = city["community_a"]
    response = as_user(rita).post(f"/admin/core/division/{community.pk}/history/{_revision(community)}/", FIGURES)
    assert response.status_code == 403
    community.refresh_from_db()
    assert community.households == 1000


def test_history_is_for_the_bureau_so_a_clerk_cannot_restore_even_their_own_community(city, alice, as_user):
    community = city["community_a"]
    url = f"/admin/core/division/{community.pk}/history/{_revision(community)}/"
    assert as_user(alice).get(url).status_code == 403
    assert as_user(alice).post(url, FIGURES).status_code == 403
    community.refresh_from_db()
    assert community.households == 1000


def test_the_bureau_still_reads_the_history_of_a_deleted_record(city, rita, as_user):
    community = city["community_c"]
    pk = community.pk
    community.delete()
    assert as_user(rita).get(f"/admin/core/division/{pk}/history/").status_code == 200


@pytest.mark.parametrize("page", ["history/", "history/1/"])
def test_a_model_without_history_has_no_history_page_rather_than_a_crash(city, adam, as_user, page):
    service = Service.objects.create(name="党建活动")
    assert as_user(adam).get(f"/admin/facilities/service/{service.pk}/{page}").status_code == 404


@pytest.fixture
def plan(db):
    return Plan.objects.create(name="十四五规划", in_force=True)


def test_a_reviewer_cannot_rename_a_plan_by_posting_a_revision(plan, rita, as_user):
    response = as_user(rita).post(
        f"/admin/compliance/plan/{plan.pk}/history/{_revision(plan)}/", {"name": "改名", "in_force": "on"}
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.name == "十四五规划"


def test_an_administrator_may_restore_a_plan_revision(plan, adam, as_user):
    response = as_user(adam).post(
        f"/admin/compliance/plan/{plan.pk}/history/{_revision(plan)}/", {"name": "改名", "in_force": "on"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "改名"
