import re

import pytest
from django.urls import reverse

from eldercare.masking import mask_id, mask_phone
from eldercare.models import ElderAccessLog, FacilityKind, Visit

ID_PATTERN = re.compile(r"\d{17}[\dXx]")


def test_mask_id_keeps_the_first_and_last_four():
    assert mask_id("23030219450101123X") == "2303**********123X"
    assert mask_id("") == ""


def test_mask_phone_keeps_three_and_four_digits_of_a_mobile():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0467-2345678") == "********5678"
    assert mask_phone("") == ""


def test_elder_change_list_shows_id_numbers_and_phones_masked(as_user, alice, elder_a):
    html = as_user(alice).get(reverse("admin:eldercare_elder_changelist")).content.decode()
    assert mask_id(elder_a.id_number) in html
    assert "138****5678" in html
    assert elder_a.id_number not in html
    assert elder_a.phone not in html
    assert not ID_PATTERN.search(html)


def test_opening_the_change_list_is_not_logged_as_viewing_unmasked(as_user, alice, elder_a):
    as_user(alice).get(reverse("admin:eldercare_elder_changelist"))
    assert not ElderAccessLog.objects.exists()


def test_visit_change_list_shows_no_personal_numbers(as_user, alice, elder_a):
    Visit.objects.create(elder=elder_a, visited_on="2025-06-01", visitor="刘洋")
    html = as_user(alice).get(reverse("admin:eldercare_visit_changelist")).content.decode()
    assert "LR-A1" in html
    assert elder_a.phone not in html
    assert not ID_PATTERN.search(html)


def test_opening_an_elder_in_the_admin_shows_the_record_and_logs_who_and_which(as_user, alice, elder_a):
    response = as_user(alice).get(reverse("admin:eldercare_elder_change", args=[elder_a.pk]))
    assert response.status_code == 200
    assert elder_a.id_number in response.content.decode()
    log = ElderAccessLog.objects.get()
    assert (log.user, log.elder, log.channel) == (alice, elder_a, ElderAccessLog.Channel.ADMIN)
    assert log.viewed_at is not None


def test_a_reviewer_reading_an_elder_is_logged_too(as_user, rita, elder_a):
    assert as_user(rita).get(reverse("admin:eldercare_elder_change", args=[elder_a.pk])).status_code == 200
    assert ElderAccessLog.objects.filter(user=rita, elder=elder_a).count() == 1


def test_clerk_cannot_open_another_streets_elder_and_nothing_is_logged(as_user, alice, elder_b):
    response = as_user(alice).get(reverse("admin:eldercare_elder_change", args=[elder_b.pk]))
    assert response.status_code == 404
    assert elder_b.id_number not in response.content.decode()
    assert not ElderAccessLog.objects.exists()


def test_clerk_does_not_see_another_streets_elder_in_the_list(as_user, alice, elder_a, elder_b):
    html = as_user(alice).get(reverse("admin:eldercare_elder_changelist")).content.decode()
    assert "LR-A1" in html
    assert "LR-B1" not in html


def test_reviewer_cannot_change_an_elder(as_user, rita, elder_a):
    url = reverse("admin:eldercare_elder_change", args=[elder_a.pk])
    response = as_user(rita).post(url, {"code": "LR-A1", "name": "改名", "community": elder_a.community_id,
                                        "categories": [elder_a.categories.get().pk], "id_number": elder_a.id_number, "phone": ""})
    assert response.status_code == 403
    elder_a.refresh_from_db()
    assert elder_a.name == "张秀英"


def test_only_bureau_staff_read_the_access_log(as_user, alice, rita, elder_a):
    url = reverse("admin:eldercare_elderaccesslog_changelist")
    assert as_user(alice).get(url).status_code == 403
    assert as_user(rita).get(url).status_code == 200


def test_facility_division_choices_of_a_clerk_are_their_street_and_its_communities(as_user, alice, city):
    form = as_user(alice).get(reverse("admin:eldercare_facility_add")).context["adminform"].form
    codes = set(form.fields["division"].queryset.values_list("code", flat=True))
    assert codes == {city["street_a"].code, city["community_a"].code, city["community_a2"].code}


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (FacilityKind.DAYCARE, {"community_a", "community_a2"}),
        (FacilityKind.STREET_CENTRE, {"street_a"}),
        (FacilityKind.INSTITUTION, {"street_a", "community_a", "community_a2"}),
    ],
)
def test_facility_division_choices_follow_the_kind(as_user, alice, city, kind, expected):
    url = reverse("admin:eldercare_facility_add") + f"?kind={kind}"
    form = as_user(alice).get(url).context["adminform"].form
    assert set(form.fields["division"].queryset.values_list("code", flat=True)) == {city[k].code for k in expected}


def test_clerk_adds_a_street_centre_through_the_admin_with_typed_hours_and_services(as_user, alice, city):
    from eldercare.models import CareService, Facility

    services = list(CareService.objects.filter(code__in=["meals", "bathing"]).values_list("pk", flat=True))
    data = {
        "code": "J-A", "name": "向阳街道综合养老服务中心", "kind": FacilityKind.STREET_CENTRE,
        "division": city["street_a"].pk, "status": "operating", "address": "政府路1号", "phone": "0467 2345678",
        "services": services, "hours_mon": "8:00－12:00，13:00－17:00", "full_care": "on", "day_care": "on",
        "home_visits": "on", "guidance": "on", "beds": 10, "nursing_beds": 5, "ownership": "public",
    }
    response = as_user(alice).post(reverse("admin:eldercare_facility_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    centre = Facility.objects.get(code="YL-J-230302001")  # generated: the clerk can't type a code
    assert centre.hours_mon == "08:00-12:00,13:00-17:00"
    assert centre.phone == "04672345678"
    assert centre.is_comprehensive
    assert set(centre.services.values_list("code", flat=True)) == {"meals", "bathing"}


def test_the_access_log_has_no_history_page_of_its_own(as_user, rita, elder_a):
    as_user(rita).get(reverse("admin:eldercare_elder_change", args=[elder_a.pk]))
    log = ElderAccessLog.objects.get()
    assert as_user(rita).get(reverse("admin:eldercare_elderaccesslog_history", args=[log.pk])).status_code == 404
