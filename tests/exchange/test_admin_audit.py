"""Audit history and optimistic locking in the admin (core.admin_mixins.ScopedAdmin)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin_mixins import ConcurrentEdit
from core.models import Division, Role, User

pytestmark = pytest.mark.django_db


def change_url(division):
    return reverse("admin:core_division_change", args=[division.pk])


def form_data(division, lock_version, **changes):
    data = {
        "code": division.code, "name": division.name, "kind": division.kind, "parent": division.parent_id,
        "households": division.households, "population": division.population,
        "population_60plus": division.population_60plus, "latitude": division.latitude or "",
        "longitude": division.longitude or "", "lock_version": lock_version, "_save": "1",
    }
    data.update(changes)
    return data


@pytest.fixture
def adele(city):
    return User.objects.create(username="adele", role=Role.ADMIN)


def test_an_admin_change_is_recorded_with_who_and_field_before_after(as_user, city, adam):
    community = city["community_a"]
    response = as_user(adam).post(change_url(community), form_data(community, 1, households=1100))
    assert response.status_code == 302
    community.refresh_from_db()
    assert (community.households, community.version) == (1100, 2)
    latest, previous = community.history.all()[:2]
    assert latest.history_user == adam and latest.history_type == "~"
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(previous).changes}
    assert changes["households"] == (1000, 1100)


def test_an_admin_delete_is_recorded(as_user, city, adam):
    community = city["community_a2"]
    as_user(adam).post(reverse("admin:core_division_delete", args=[community.pk]), {"post": "yes"})
    assert not Division.objects.filter(pk=community.pk).exists()
    deleted = Division.history.filter(id=community.pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", adam)


@pytest.mark.parametrize(("persona", "status"), [("adam", 200), ("rita", 200), ("alice", 403)])
def test_the_history_page_is_for_bureau_staff(request, as_user, city, persona, status):
    user = request.getfixturevalue(persona)
    url = reverse("admin:core_division_history", args=[city["community_a"].pk])
    assert as_user(user).get(url).status_code == status


def test_the_change_form_carries_the_version_it_was_rendered_with(as_user, city, adam):
    response = as_user(adam).get(change_url(city["community_a"]))
    assert 'name="lock_version" value="1"' in response.content.decode()


def test_a_save_over_someone_elses_newer_save_is_refused_showing_their_change(as_user, city, adam, adele):
    community = city["community_a"]
    assert as_user(adele).post(change_url(community), form_data(community, 1, households=1500)).status_code == 302
    response = as_user(adam).post(change_url(community), form_data(community, 1, households=1100))
    assert response.status_code == 200
    content = response.content.decode()
    assert "保存被拒绝" in content and "adele" in content
    assert "户数：对方改为「1500」，您填写「1100」" in content
    community.refresh_from_db()
    assert (community.households, community.version) == (1500, 2)
    assert community.history.count() == 2


def test_the_save_itself_is_a_compare_and_set_on_the_version(rf, city, adam):
    community = city["community_a"]
    Division.objects.filter(pk=community.pk).update(version=2)  # someone saved after the form's check
    model_admin = admin.site._registry[Division]
    request = rf.post("/")
    request.user = adam
    form = type("Form", (), {"cleaned_data": {"lock_version": 1}})()
    with pytest.raises(ConcurrentEdit):
        model_admin.save_model(request, community, form, change=True)
    community.refresh_from_db()
    assert community.version == 2


def test_adding_in_the_admin_still_works_and_is_recorded(as_user, city, adam):
    client = as_user(adam)
    assert client.get(reverse("admin:core_division_add")).status_code == 200
    response = client.post(reverse("admin:core_division_add"), {
        "code": "230302001009", "name": "新社区", "kind": "community", "parent": city["street_a"].pk,
        "households": 10, "population": "", "population_60plus": "", "latitude": "", "longitude": "", "_save": "1",
    })
    assert response.status_code == 302
    created = Division.objects.get(code="230302001009")
    assert created.version == 1
    assert created.history.get().history_user == adam


def test_a_reviewer_sees_the_change_form_read_only_without_a_lock_field(as_user, city, rita):
    response = as_user(rita).get(change_url(city["community_a"]))
    assert response.status_code == 200
    assert 'name="lock_version"' not in response.content.decode()
