"""The community form has the map picker, and the admin's community, visit and worker forms run the same data
validation rules as the import (reporting.rules through core.record_checks): errors block the save on their
field, warnings are shown without blocking."""

import datetime

from django.contrib.messages import get_messages

from core.geo import wgs84_to_gcj02
from core.location import Source
from core.opening import local_now
from eldercare.models import Elder, Visit
from reporting.models import Severity, ValidationRule


def community_url(community):
    return f"/admin/core/division/{community.pk}/change/"


def community_post(community, **overrides):
    return {
        "households": community.households, "population": community.population,
        "population_60plus": community.population_60plus, "latitude": community.latitude or "",
        "longitude": community.longitude or "", "coordinate_paste": "", "coordinate_source": Source.GCJ02,
        "lock_version": community.version, **overrides,
    }


def set_rule(code, **settings):
    """What the bureau administrator does on the rule's page (the save refreshes the rules' cache)."""
    rule = ValidationRule.objects.get(code=code)
    for name, value in settings.items():
        setattr(rule, name, value)
    rule.save()


def form_errors(response):
    return response.context["adminform"].form.errors


def test_the_clerks_community_form_has_the_map_and_the_paste_box(city, alice, as_user):
    page = as_user(alice).get(community_url(city["community_a"])).content.decode()
    assert 'id="location-picker"' in page and 'name="coordinate_paste"' in page
    assert "vendor/leaflet/leaflet.js" in page and "js/admin-entry.js" in page
    assert page.index('id="id_longitude"') < page.index('id="id_coordinate_paste"')


def test_clerk_pastes_a_gaode_pair_on_a_community_and_it_is_stored_as_wgs84(city, alice, as_user):
    community = city["community_a2"]
    g_lat, g_lon = wgs84_to_gcj02(45.2931, 130.9612)  # where the community really is, as 高德 shows it
    response = as_user(alice).post(community_url(community), community_post(
        community, coordinate_paste=f"{g_lon:.6f},{g_lat:.6f}", coordinate_source=Source.GCJ02))
    assert response.status_code == 302, form_errors(response)
    community.refresh_from_db()
    assert abs(community.latitude - 45.2931) < 2e-6 and abs(community.longitude - 130.9612) < 2e-6
    assert abs(community.longitude - g_lon) > 0.003  # converted, not kept as pasted


def test_more_elderly_than_residents_is_refused_on_the_field(city, alice, as_user):
    community = city["community_a"]
    response = as_user(alice).post(community_url(community), community_post(community, population_60plus=99999))
    assert response.status_code == 200
    assert form_errors(response)["population_60plus"] == ["60岁以上人口 99999 大于常住人口 2500。"]
    assert 'href="#id_population_60plus"' in response.content.decode()  # in the summary at the top
    community.refresh_from_db()
    assert community.population_60plus == 600


def test_more_households_than_residents_is_refused_on_the_field(city, alice, as_user):
    community = city["community_a"]
    response = as_user(alice).post(community_url(community), community_post(community, households=2501))
    assert form_errors(response)["households"] == ["户数 2501 大于常住人口 2500。"]


def test_a_rule_the_bureau_made_a_warning_saves_and_says_so(city, alice, as_user):
    set_rule("population_60plus", severity=Severity.WARNING)
    community = city["community_a"]
    client = as_user(alice)
    response = client.post(community_url(community), community_post(community, population_60plus=2600))
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.population_60plus == 2600
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert "警告：60岁以上人口 2600 大于常住人口 2500。" in said
    # Opening the record again shows the warning still standing.
    page = client.get(community_url(community)).content.decode()
    assert "60岁以上人口 2600 大于常住人口 2500。" in page


def test_a_disabled_rule_does_not_block(city, alice, as_user):
    set_rule("households", enabled=False)
    community = city["community_a"]
    response = as_user(alice).post(community_url(community), community_post(community, households=2501))
    assert response.status_code == 302


def elder(city, registered_on=None):
    return Elder.objects.create(code="LR23030200100101", name="王桂兰", community=city["community_a"],
                                id_number="11010519491231002X", phone="13812345678", registered_on=registered_on)


def test_a_visit_in_the_future_is_refused_on_its_date(city, alice, as_user):
    person = elder(city)
    tomorrow = local_now().date() + datetime.timedelta(days=1)
    response = as_user(alice).post("/admin/eldercare/visit/add/", {
        "elder": person.pk, "visited_on": tomorrow.isoformat(), "visitor": "赵敏", "method": "phone"})
    assert response.status_code == 200
    assert form_errors(response)["visited_on"] == [f"探访日期 {tomorrow} 晚于今天 {local_now().date()}。"]
    assert not Visit.objects.exists()


def test_a_visit_before_the_elder_was_registered_is_refused_in_the_elders_own_form(city, alice, as_user):
    today = local_now().date()
    person = elder(city, registered_on=today - datetime.timedelta(days=10))
    early = today - datetime.timedelta(days=30)
    response = as_user(alice).post(f"/admin/eldercare/elder/{person.pk}/change/", {
        "name": person.name, "community": person.community_id, "id_number": person.id_number,
        "phone": person.phone, "registered_on": person.registered_on.isoformat(), "lock_version": person.version,
        "visits-TOTAL_FORMS": "1", "visits-INITIAL_FORMS": "0",
        "visits-0-visited_on": early.isoformat(), "visits-0-visitor": "赵敏", "visits-0-method": "in_person",
    })
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].errors["visited_on"] == [
        f"探访日期 {early} 早于老人登记日期 {person.registered_on}。"]
    assert "表格中有 1 处错误" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_certificate_obtained_tomorrow_is_refused_on_its_field(city, alice, as_user):
    tomorrow = local_now().date() + datetime.timedelta(days=1)
    response = as_user(alice).post("/admin/volunteers/worker/add/", {
        "name": "李红", "workplace": city["community_a"].pk, "role": "community_worker", "on_duty": "on",
        "level": "assistant", "certificate_number": "S0000001", "obtained_on": tomorrow.isoformat(),
        "registration_valid_until": (tomorrow + datetime.timedelta(days=1000)).isoformat(),
        "education_hours": "10",
    })
    assert response.status_code == 200
    assert form_errors(response)["obtained_on"] == [f"取得日期 {tomorrow} 晚于今天 {local_now().date()}。"]


# --- the helpers' words (static/js/admin-entry.js) in the page's language -----------------------------------

def entry_labels_of(page):
    import json
    import re

    found = re.search(r'<script id="admin-entry-labels" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the change form carries the helpers' words"
    return json.loads(found.group(1))


def test_the_entry_helpers_words_come_in_chinese_on_a_chinese_page(city, alice, as_user):
    labels = entry_labels_of(as_user(alice).get("/admin/facilities/centre/add/").content.decode())
    assert labels["copyMonday"] == "复制周一到每天" and labels["closed"] == "休息"


def test_the_entry_helpers_words_come_in_english_on_an_english_page(city, alice, as_user):
    client = as_user(alice)
    client.cookies["django_language"] = "en"
    page = client.get("/admin/facilities/centre/add/").content.decode()
    assert '<html lang="en"' in page
    labels = entry_labels_of(page)
    assert labels == {
        "hoursGroup": "Quick fill for opening hours", "presets": "Common hours:", "fillMonday": "Fill in Monday",
        "fillWeekdays": "Fill in Monday to Friday", "copyMonday": "Copy Monday to every day", "closed": "Closed",
        "allDay": "24 hours", "pin": "Location pin: drag to move",
    }


def test_the_closed_button_writes_a_word_the_hours_parser_reads_as_closed_in_either_language():
    from django.utils import translation

    from core.admin_words import entry_labels
    from core.hours import parse_hours

    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert parse_hours(entry_labels()["closed"]) == []


def test_the_entry_script_has_no_words_of_its_own():
    import re

    from django.conf import settings

    script = (settings.BASE_DIR / "static" / "js" / "admin-entry.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    assert not re.search(r"[\u4e00-\u9fff]", code)
    assert "LABELS.copyMonday" in code and "admin-entry-labels" in code


def test_the_visit_list_and_forms_carry_the_visits_note(city, alice, as_user):
    person = elder(city)
    Visit.objects.create(elder=person, visited_on=local_now().date(), visitor="赵敏", note="腿脚不便，下周再去")
    client = as_user(alice)
    assert "腿脚不便，下周再去" in client.get("/admin/eldercare/visit/").content.decode()
    assert 'name="note"' in client.get("/admin/eldercare/visit/add/").content.decode()
    assert 'name="visits-0-note"' in client.get(f"/admin/eldercare/elder/{person.pk}/change/").content.decode()


def _as_posted(form):
    """What the browser posts back for an unchanged form."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        else:
            data[name] = "" if value is None else str(value)
    return data


def test_nursing_beds_above_beds_is_said_once_on_its_field(city, alice, as_user):
    """The model's clean() and the bureau's rule find the same thing: the clerk reads it once."""
    from eldercare.models import Facility, FacilityKind

    facility = Facility.objects.create(
        code="YL-R-230302001001", name="建设社区日间照料中心", kind=FacilityKind.DAYCARE, beds=20,
        division=city["community_a"], address="建设路 14 号", phone="0467-2345680",
    )
    client = as_user(alice)
    url = f"/admin/eldercare/facility/{facility.pk}/change/"
    data = _as_posted(client.get(url).context["adminform"].form)
    response = client.post(url, {**data, "nursing_beds": "30"})
    assert response.status_code == 200
    assert form_errors(response)["nursing_beds"] == ["护理型床位数 30 大于床位数 20。"]
