"""Trust: report an error (to the street's to-do), 好差评 after approval, navigation, footer, calendar watch."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from core.geo import wgs84_to_bd09, wgs84_to_gcj02
from core.models import Holiday
from core.opening import at
from portal import navigation
from portal.models import ErrorReport, Rating

SCRIPT = '<script>alert("x")</script><b>粗</b>'


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def report(client, target, pk, **data):
    return client.post(reverse("portal:report", args=[target, pk]), {"topic": "hours", **data})


def test_report_lands_on_the_clerk_of_that_street_and_nobody_elses(client, world, alice, bob, as_user):
    facility = world["daycare"][0]  # in 和平社区, 向阳街道 (alice's street)
    response = report(client, "facility", facility.pk, message="周六下午也开", phone="138 1234 5678")
    assert "已收到" in response.content.decode()
    saved = ErrorReport.objects.get()
    assert (saved.division, saved.phone, saved.object_name) == (world["heping"], "13812345678", facility.name)
    assert "周六下午也开" in as_user(alice).get(reverse("portal:reports")).content.decode()
    assert "周六下午也开" not in as_user(bob).get(reverse("portal:reports")).content.decode()
    assert "居民报错待办（1 条）" in as_user(alice).get(reverse("workspace")).content.decode()
    as_user(alice).post(reverse("portal:close_report", args=[saved.pk]))
    saved.refresh_from_db()
    assert saved.state == ErrorReport.State.DONE and saved.handled_by == alice


def test_another_streets_clerk_cannot_close_it(world, bob, as_user):
    saved = ErrorReport.objects.create(target="facility", object_id=world["daycare"][0].pk, object_name="x",
                                       division=world["heping"], topic="hours")
    assert as_user(bob).post(reverse("portal:close_report", args=[saved.pk])).status_code == 404


def test_honeypot_and_rate_limit(client, world, settings):
    settings.PORTAL_SUBMISSIONS_PER_HOUR = 2
    centre = world["centre"]
    report(client, "centre", centre.pk, website="http://spam.example")
    assert ErrorReport.objects.count() == 0  # the robot is thanked and nothing is kept
    report(client, "centre", centre.pk)
    report(client, "centre", centre.pk)
    response = report(client, "centre", centre.pk)
    assert "提交太频繁了" in response.content.decode()
    assert ErrorReport.objects.count() == 2


def test_bad_phone_is_refused_with_a_chinese_message(client, world):
    response = report(client, "centre", world["centre"].pk, phone="12345")
    assert "不像电话号码" in response.content.decode()
    assert ErrorReport.objects.count() == 0


def test_unknown_or_hidden_targets_are_404(client, world):
    assert client.get(reverse("portal:report", args=["centre", 999999])).status_code == 404
    assert client.get(reverse("portal:report", args=["elder", world["centre"].pk])).status_code == 404


def test_rating_is_published_only_after_approval_with_average_and_count(client, world, alice, as_user):
    facility = world["daycare"][0]
    detail = reverse("eldercare:detail", args=[facility.pk])
    client.post(reverse("portal:rate", args=["facility", facility.pk]), {"score": "5", "comment": "饭菜可口"})
    client.post(reverse("portal:rate", args=["facility", facility.pk]), {"score": "2", "comment": SCRIPT})
    html = client.get(detail).content.decode()
    assert "暂无评价" in html and "饭菜可口" not in html
    clerk = as_user(alice)
    for rating in Rating.objects.all():
        clerk.post(reverse("portal:review_rating", args=[rating.pk]), {"decision": "approve"})
    clerk.logout()
    html = client.get(detail).content.decode()
    assert "平均 3.5 分（2 条评价）" in html
    assert "饭菜可口" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_reviewer_may_approve_but_another_streets_clerk_may_not_see(world, bob, rita, as_user):
    rating = Rating.objects.create(target="facility", object_id=world["daycare"][0].pk, object_name="x",
                                   division=world["heping"], score=4)
    assert as_user(bob).post(reverse("portal:review_rating", args=[rating.pk]),
                             {"decision": "approve"}).status_code == 404
    as_user(rita).post(reverse("portal:review_rating", args=[rating.pk]), {"decision": "reject"})
    rating.refresh_from_db()
    assert rating.state == Rating.State.REJECTED


def test_report_text_is_escaped_on_the_clerks_to_do(client, world, alice, as_user):
    report(client, "centre", world["centre"].pk, message=SCRIPT)
    html = as_user(alice).get(reverse("portal:reports")).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_navigation_links_carry_converted_coordinates():
    links = {link.app: link.url for link in navigation.links("和平社区日间照料中心", "和平路 8 号", 45.2951, 130.9695)}
    g_lat, g_lon = wgs84_to_gcj02(45.2951, 130.9695)
    b_lat, b_lon = wgs84_to_bd09(45.2951, 130.9695)
    amap = parse_qs(urlsplit(links["amap"]).query)
    assert amap["position"] == [f"{g_lon:.6f},{g_lat:.6f}"] and amap["coordinate"] == ["gaode"]
    baidu = parse_qs(urlsplit(links["baidu"]).query)
    assert baidu["location"] == [f"{b_lat:.6f},{b_lon:.6f}"] and baidu["coord_type"] == ["bd09ll"]
    tencent = parse_qs(urlsplit(links["tencent"]).query)
    assert tencent["marker"][0].startswith(f"coord:{g_lat:.6f},{g_lon:.6f};title:和平社区日间照料中心")
    assert links["geo"].startswith("geo:45.295100,130.969500")
    assert navigation.links("x", "", None, None) == []


def test_detail_pages_show_address_in_words_navigation_and_verification(client, world):
    facility = world["daycare"][0]
    html = client.get(reverse("eldercare:detail", args=[facility.pk])).content.decode()
    assert "北纬" not in html
    assert "uri.amap.com" in html and "数据核实日期" in html and "尚未核实" in html
    assert reverse("portal:report", args=["facility", facility.pk]) in html
    html = client.get(reverse("facilities:detail", args=[world["centre"].pk])).content.decode()
    assert "北纬" not in html and "api.map.baidu.com" in html
    html = client.get(reverse("volunteers:detail", args=[world["team"].pk])).content.decode()
    assert reverse("portal:report", args=["team", world["team"].pk]) in html


def test_clerk_confirmation_sets_the_verification_date(world, alice, as_user, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2025, 6, 4, 10, 0))
    facility = world["daycare"][0]
    as_user(alice).post(reverse("admin:eldercare_facility_changelist"),
                        {"action": "mark_verified", "_selected_action": [facility.pk]})
    facility.refresh_from_db()
    assert facility.verified_on == date(2025, 6, 4) and facility.verified_by == alice


@override_settings(SITE_ORGANISER="鸡西市民政局", SITE_CONTACT="0467-2300000", SITE_ICP="黑ICP备00000000号",
                   SITE_GOV_CODE="2303000001")
def test_footer_names_the_organiser_and_identifiers(client, city):
    html = client.get(reverse("portal:search")).content.decode()
    for text in ("主办单位", "鸡西市民政局", "0467-2300000", "黑ICP备00000000号", "网站标识码", "2303000001"):
        assert text in html


def test_bureau_is_warned_from_october_when_next_years_calendar_is_missing(world, rita, alice, as_user, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2025, 9, 30, 10, 0))
    assert "holiday-calendar-missing" not in as_user(rita).get(reverse("workspace")).content.decode()
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2025, 10, 1, 10, 0))
    assert "2026 年的节假日和调休安排尚未录入" in as_user(rita).get(reverse("workspace")).content.decode()
    assert "holiday-calendar-missing" not in as_user(alice).get(reverse("workspace")).content.decode()
    Holiday.objects.create(date=date(2026, 1, 1), kind=Holiday.DayKind.HOLIDAY, name="元旦")
    assert "holiday-calendar-missing" not in as_user(rita).get(reverse("workspace")).content.decode()


@pytest.mark.parametrize("comment", ["有事打 138 1234 5678", "我的身份证 11010519491231002X", "电话0467－2345678"])
def test_a_rating_comment_with_a_phone_or_id_number_is_refused(client, world, comment):
    response = client.post(reverse("portal:rate", args=["facility", world["daycare"][0].pk]),
                           {"score": "4", "comment": comment})
    assert "请不要填写电话号码或身份证号" in response.content.decode()
    assert Rating.objects.count() == 0
