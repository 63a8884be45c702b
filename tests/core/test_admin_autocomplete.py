"""Division foreign keys in the admin are autocompletes: a form never lists every community (issue #20)."""

import re
from decimal import Decimal

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from core.admin_mixins import division_foreign_keys
from core.models import Division, Kind
from tests.personas import make_division


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_every_division_foreign_key_of_every_admin_is_an_autocomplete(adam):
    checked = 0
    for model, model_admin in admin.site._registry.items():
        for name in division_foreign_keys(model):
            assert name in model_admin.get_autocomplete_fields(_admin_request(adam)), f"{model.__name__}.{name}"
            checked += 1
    assert checked >= 8  # centres, eldercare facilities, elders, teams, workers, divisions, users, plans


def _more_communities(city, count):
    for number in range(count):
        make_division(
            f"230302001{100 + number:03d}", f"新社区{number}", Kind.COMMUNITY, city["street_a"], households=100,
        )


def _centre(city):
    from facilities.models import Centre

    centre = Centre(code="C00001", name="服务中心", community=city["community_a"], address="某路",
                    total_area=Decimal("500"), activity_area=Decimal("300"))
    centre.save()
    return centre


def _change_form(client, centre):
    return client.get(reverse("admin:facilities_centre_change", args=[centre.pk])).content.decode()


def test_a_bureau_administrators_change_form_lists_no_communities_however_many_there_are(
    city, adam, as_user, django_assert_max_num_queries,
):
    centre = _centre(city)
    client = as_user(adam)
    small = _change_form(client, centre)
    _more_communities(city, 40)
    with django_assert_max_num_queries(40) as captured:
        large = _change_form(client, centre)
    queries = len(captured.captured_queries)
    assert 'data-ajax--url="/admin/autocomplete/"' in large and 'name="community"' in large
    select = re.search(r'<select name="community".*?</select>', large, re.S).group(0)
    assert select.count("<option") <= 2  # the blank and the chosen community only
    assert "新社区" not in large
    assert len(large) - len(small) < 200  # the page does not grow with the communities
    _more_communities_count = Division.objects.filter(name__startswith="新社区").count()
    assert _more_communities_count == 40 and queries <= 40


def test_the_autocomplete_answers_a_clerk_with_their_own_streets_communities_only(city, alice, adam, as_user):
    url = "/admin/autocomplete/"
    params = {"app_label": "facilities", "model_name": "centre", "field_name": "community", "term": "社区"}
    names = {item["text"] for item in as_user(alice).get(url, params).json()["results"]}
    assert names == {str(city["community_a"]), str(city["community_a2"])}
    names = {item["text"] for item in as_user(adam).get(url, params).json()["results"]}
    assert str(city["community_b"]) in names and str(city["street_a"]) not in names  # communities only
    by_code = as_user(adam).get(url, {**params, "term": "230321"}).json()["results"]
    assert [item["text"] for item in by_code] == [str(city["community_c"])]


def test_a_clerk_cannot_post_a_community_of_another_street_through_the_autocomplete(city, alice, as_user):
    centre = _centre(city)
    client = as_user(alice)
    page = client.get(reverse("admin:facilities_centre_change", args=[centre.pk])).content.decode()
    version = re.search(r'name="_lock_version" value="(\d+)"', page)
    response = client.post(reverse("admin:facilities_centre_change", args=[centre.pk]), {
        "code": centre.code, "name": centre.name, "community": city["community_b"].pk, "address": "某路",
        "total_area": "500", "activity_area": "300", "status": "operating",
        **({"_lock_version": version.group(1)} if version else {}),
    })
    centre.refresh_from_db()
    assert centre.community_id == city["community_a"].pk
    errors = re.search(r'<ul class="errorlist"[^>]*id="id_community_error"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert response.status_code == 200 and errors is not None, "the community field names its error"


def test_accounts_and_plans_choose_their_division_by_autocomplete(city, adam, as_user):
    client = as_user(adam)
    for url in (reverse("admin:core_user_add"), reverse("admin:compliance_plan_add")):
        page = client.get(url).content.decode()
        assert re.search(r'<select name="division"[^>]*data-ajax--url', page), url
        assert "建设社区" not in page
