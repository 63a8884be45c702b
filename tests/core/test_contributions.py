"""Apps add to each other's pages through AppConfig methods (core.contributions), not imports."""

from core.caching import WATCHED
from tests.facilities.conftest import make_centre


def test_the_centre_admin_page_shows_compliances_standing_after_the_verification_line(alice, as_user, city):
    centre = make_centre(city["community_a"], "SQ-A", activity_area="300")  # 300 of 600 m²: F4 fails
    page = as_user(alice).get(f"/admin/facilities/centre/{centre.pk}/change/").content.decode()
    assert page.count('class="centre-standing') == 1
    assert page.index("尚未核实。") < page.index("centre-standing")
    standing = page[page.index("centre-standing"):]
    assert "F4" in standing and "居民活动面积占比 50%，低于 60%" in standing


def test_other_change_pages_get_no_standing_panel(adam, as_user, city):
    page = as_user(adam).get(f"/admin/core/division/{city['community_a'].pk}/change/").content.decode()
    assert "centre-standing" not in page


def test_each_app_registered_its_public_models_for_the_cache():
    assert WATCHED == {
        "core.Division": None, "core.Holiday": None,
        "facilities.Service": None, "facilities.Centre": "facilities",
        "eldercare.CareService": None, "eldercare.Facility": "eldercare",
        "volunteers.ServiceField": None, "volunteers.Team": "volunteers", "volunteers.ServiceRecord": "volunteers",
    }
