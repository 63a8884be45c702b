"""The clerks' admin: typed hours, Chinese messages naming the field, scoping, verification."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core.opening import local_now
from facilities.models import Centre
from tests.facilities.conftest import EIGHT_HOURS, make_centre

ADD_URL = "/admin/facilities/centre/add/"


def change_url(centre):
    return reverse("admin:facilities_centre_change", args=[centre.pk])


def form_data(community, **overrides):
    data = {
        "code": "SQ-NEW", "name": "新中心", "community": community.pk, "address": "幸福路2号", "status": "operating",
        "phone": "0467-2345678", "total_area": "500", "activity_area": "300",
        **{f"hours_{day}": EIGHT_HOURS for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        "hours_holiday": "", "open_on_holidays": "on", "has_volunteer_station": "on", "latitude": "", "longitude": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors(response):
    return response.context["adminform"].form.errors


def test_clerk_adds_a_centre_with_hours_typed_the_chinese_way(city, alice, as_user, services):
    client = as_user(alice)
    response = client.post(
        ADD_URL,
        form_data(city["community_a"], hours_mon=" 8:30－11:30，13:30－17:30 ", hours_sun="休息",
                  services=[services[0].pk, services[2].pk]),
    )
    assert response.status_code == 302, errors(response)
    centre = Centre.objects.get(name="新中心")
    assert centre.hours_mon == "08:30-11:30,13:30-17:30"
    assert centre.hours_sun == ""
    assert set(centre.services.values_list("name", flat=True)) == {"党建活动", "法律咨询"}
    assert centre.history.count() == 1


def test_services_are_offered_as_checkboxes(city, alice, as_user, services):
    page = as_user(alice).get(ADD_URL).content.decode()
    assert 'type="checkbox" name="services"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours_tue", "12:00-08:00", "周二开放时间：时段 12:00-08:00 的结束时间应晚于开始时间。"),
        ("hours_sat", "08:00-12:00,11:00-13:00", "周六开放时间：时段 08:00-12:00 与 11:00-13:00 重叠。"),
        ("hours_holiday", "9点", "节假日开放时间："),
        ("total_area", "0", "总建筑面积必须大于 0 平方米"),
        ("activity_area", "0", "居民活动面积必须大于 0 平方米"),
        ("activity_area", "500.01", "居民活动面积 500.01 平方米大于总建筑面积 500 平方米"),
        ("phone", "12345", "联系电话：“12345”不像电话号码"),
    ],
)
def test_form_errors_are_chinese_and_name_the_field(city, alice, as_user, field, value, message):
    response = as_user(alice).post(ADD_URL, form_data(city["community_a"], **{field: value}))
    assert response.status_code == 200
    assert any(message in error for error in errors(response)[field]), errors(response)
    assert not Centre.objects.filter(code="SQ-NEW").exists()


def test_activity_area_equal_to_total_is_accepted_in_the_form(city, alice, as_user):
    response = as_user(alice).post(ADD_URL, form_data(city["community_a"], activity_area="500"))
    assert response.status_code == 302


def test_clerk_only_sees_own_street_in_the_list(centre_a, centre_b, alice, as_user):
    page = as_user(alice).get("/admin/facilities/centre/").content.decode()
    assert centre_a.name in page and centre_b.name not in page


def test_clerk_cannot_open_other_streets_centre(centre_b, alice, as_user):
    assert as_user(alice).get(change_url(centre_b)).status_code == 404


def test_clerk_cannot_attach_a_centre_to_another_streets_community(city, alice, as_user):
    response = as_user(alice).post(ADD_URL, form_data(city["community_b"]))
    assert response.status_code == 200
    assert "community" in errors(response)
    choices = response.context["adminform"].form.fields["community"].queryset
    assert set(choices) == {city["community_a"], city["community_a2"]}


def test_reviewer_reads_but_gets_403_on_post(centre_a, rita, as_user):
    client = as_user(rita)
    assert client.get(change_url(centre_a)).status_code == 200
    response = client.post(change_url(centre_a), form_data(centre_a.community, code=centre_a.code, name="改名"))
    assert response.status_code == 403
    centre_a.refresh_from_db()
    assert centre_a.name != "改名"


def test_reviewer_cannot_confirm_a_centre(centre_a, rita, as_user):
    response = as_user(rita).post(reverse("admin:facilities_centre_verify", args=[centre_a.pk]))
    assert response.status_code == 403
    centre_a.refresh_from_db()
    assert centre_a.verified_on is None


def test_verification_action_records_date_and_user_without_touching_updated_at(centre_a, alice, as_user):
    updated_at = centre_a.updated_at
    response = as_user(alice).post(
        "/admin/facilities/centre/", {"action": "mark_verified", "_selected_action": [centre_a.pk]}
    )
    assert response.status_code == 302
    centre_a.refresh_from_db()
    assert centre_a.verified_on == local_now().date()
    assert centre_a.verified_by == alice
    assert centre_a.updated_at == updated_at
    assert centre_a.history.first().verified_by_id == alice.pk


def test_verify_button_on_the_centre_page(centre_a, alice, as_user):
    client = as_user(alice)
    assert "确认数据仍然准确" in client.get(change_url(centre_a)).content.decode()
    response = client.post(reverse("admin:facilities_centre_verify", args=[centre_a.pk]))
    assert response.status_code == 302
    centre_a.refresh_from_db()
    assert (centre_a.verified_on, centre_a.verified_by) == (local_now().date(), alice)


def test_verify_button_is_404_for_another_streets_centre(centre_b, alice, as_user):
    assert as_user(alice).post(reverse("admin:facilities_centre_verify", args=[centre_b.pk])).status_code == 404
    centre_b.refresh_from_db()
    assert centre_b.verified_on is None


def test_not_verified_for_180_days_filter(city, alice, as_user, settings):
    today = local_now().date()
    days = settings.VERIFICATION_MAX_AGE_DAYS
    fresh = make_centre(city["community_a"], "SQ-180", name="刚好180天")
    stale = make_centre(city["community_a"], "SQ-181", name="已经181天")
    never = make_centre(city["community_a2"], "SQ-NEVER", name="从未核实")
    Centre.objects.filter(pk=fresh.pk).update(verified_on=today - timedelta(days=days))
    Centre.objects.filter(pk=stale.pk).update(verified_on=today - timedelta(days=days + 1))
    response = as_user(alice).get("/admin/facilities/centre/?verified=stale")
    shown = {centre.name for centre in response.context["cl"].result_list}
    assert shown == {stale.name, never.name}


def _standing(page):
    return page.split('id="standing-title"', 1)[1].split("</section>", 1)[0]


def test_clerk_sees_the_centres_standing_change_after_fixing_the_activity_area(city, alice, as_user):
    client = as_user(alice)
    response = client.post(ADD_URL, form_data(city["community_a"], total_area="500", activity_area="250"))
    assert response.status_code == 302, errors(response)
    centre = Centre.objects.get(name="新中心")
    before = _standing(client.get(change_url(centre)).content.decode())
    assert "F4" in before and "居民活动面积占比 50%" in before and "未达标" in before.split("F5")[0]

    data = form_data(city["community_a"], total_area="500", activity_area="300", version=centre.version)
    response = client.post(change_url(centre), {**data, "_continue": "1"})
    assert response.status_code == 302, errors(response)
    after = _standing(client.get(change_url(centre)).content.decode())
    f4 = after.split("F4", 1)[1].split("F5", 1)[0]
    assert "未达标" not in f4 and "达标" in f4


def test_only_bureau_admins_change_the_service_list(services, alice, adam, as_user):
    url = reverse("admin:facilities_service_change", args=[services[0].pk])
    assert as_user(alice).get("/admin/facilities/service/").status_code == 200
    assert as_user(alice).post(url, {"name": "改名", "ordering": 1}).status_code == 403
    assert as_user(adam).post(url, {"name": "改名", "ordering": 1}).status_code == 302


def test_workspace_links_to_centres_and_the_stale_list(alice, as_user):
    page = as_user(alice).get("/workspace/").content.decode()
    assert "/admin/facilities/centre/" in page
    assert "/admin/facilities/centre/?verified=stale" in page
    assert "超过180天未核实的设施" in page


def test_holiday_hours_without_opening_on_holidays_is_explained(city, alice, as_user):
    data = form_data(city["community_a"], hours_holiday="09:00-12:00")
    del data["open_on_holidays"]
    response = as_user(alice).post(ADD_URL, data)
    assert "请同时勾选“节假日全天开放”" in errors(response)["hours_holiday"][0]


def test_latitude_without_longitude_is_refused(city, alice, as_user):
    response = as_user(alice).post(ADD_URL, form_data(city["community_a"], latitude="45.3"))
    assert errors(response)["longitude"] == ["纬度和经度须同时填写或同时留空：只有一个坐标无法定位。"]
