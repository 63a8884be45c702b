"""One way to return data: the street page's 退回 leads to the period's return (indicator, records, deadline);
the free-text returns of before the cycle stay readable and can no longer be written."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from compliance.models import CorrectionRequest
from reporting import services

JUNE = datetime.date(2025, 6, 1)


def _street_page(client, street):
    return client.get(reverse("compliance:street", args=[street.code]), {"month": "2025-06"}).content.decode()


def test_the_street_pages_return_leads_to_the_periods_record_tied_return(city, alice, dora, rita, as_user):
    street = city["street_a"]
    period_url = reverse("reporting:period", args=[street.code, "2025-06"])
    page = _street_page(as_user(dora), street)
    assert "2025-06 月度报送：未提交" in page and f'href="{period_url}#return-form"' not in page
    assert "街道提交本月数据后，可在月度报送中退回" in page
    assert 'action="/compliance/street/' not in page  # no free-text return form any more

    june = services.submit(user=alice, period=services.get_period(street, JUNE))
    page = _street_page(as_user(dora), street)
    assert f'href="{period_url}#return-form"' in page and "退回街道修改" in page
    assert f'href="{period_url}#return-form"' not in _street_page(as_user(rita), street)  # the district returns

    community = city["community_a"]
    record = f"{ContentType.objects.get_for_model(type(community)).pk}:{community.pk}"
    services.return_period(user=dora, period=june, reason="户数有误", records=[record], indicator="F3")
    for user in (dora, alice, rita):
        page = _street_page(as_user(user), street)
        assert f"2025-06 · 待修改 · F3 · {community.name}" in page and "户数有误" in page


def test_old_free_text_returns_are_read_only(city, alice, bob, rita, as_user):
    street = city["street_a"]
    old = CorrectionRequest.objects.create(street=street, indicator="F3", comment="红旗社区户数有误", created_by=rita)
    for url in (f"/compliance/street/{street.code}/return/", f"/compliance/corrections/{old.pk}/fix/",
                f"/compliance/corrections/{old.pk}/close/"):
        assert as_user(rita).post(url, {"comment": "x", "note": "x"}).status_code == 404
        assert as_user(alice).post(url, {"note": "已改"}).status_code == 404
    old.refresh_from_db()
    assert old.status == CorrectionRequest.Status.OPEN and CorrectionRequest.objects.count() == 1

    page = _street_page(as_user(rita), street)
    assert "以前的退回修改（只读）" in page and "待修改 · F3：红旗社区户数有误" in page
    listing = as_user(alice).get(reverse("compliance:corrections")).content.decode()
    assert "红旗社区户数有误" in listing and "<form" not in listing.split("<main", 1)[1].split("</main>")[0]
    assert "红旗社区户数有误" not in as_user(bob).get(reverse("compliance:corrections")).content.decode()
    assert "以前的退回修改（只读）" in as_user(alice).get(reverse("workspace")).content.decode()
    assert "以前的退回修改（只读）" not in as_user(bob).get(reverse("workspace")).content.decode()
