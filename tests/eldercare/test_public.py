import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from core.opening import at
from eldercare.forms import FacilityFilterForm
from eldercare.models import CareService, FacilityKind, Visit

from .conftest import valid_id

LIST = reverse("eldercare:list")
NEAREST = reverse("eldercare:nearest")
ID_PATTERN = re.compile(r"\d{17}[\dXx]")


@pytest.fixture
def facilities(city, make_facility):
    """A day-care centre ~650 m from 建设社区, a street centre, an institution, a closed one, one without location."""
    return {
        "daycare": make_facility(
            city["community_a"], code="R-A", name="建设社区日间照料中心", services=["meals", "bathing"],
            latitude=45.30 + 650 / 111195, longitude=130.97,
        ),
        "centre": make_facility(
            city["street_b"], code="J-B", kind=FacilityKind.STREET_CENTRE, name="南山街道综合养老服务中心",
            services=["medical"], latitude=45.31, longitude=130.98, full_care=True, day_care=True,
            home_visits=True, guidance=False,
        ),
        "institution": make_facility(
            city["street_c"], code="Y-C", kind=FacilityKind.INSTITUTION, name="鸡东县社会福利院",
            beds=120, nursing_beds=80, ownership="public", hours_sun="", phone="0467-5550000",
        ),
        "closed": make_facility(city["community_a2"], code="R-X", name="红旗社区已停用中心", status="closed"),
        "unlocated": make_facility(city["community_b"], code="R-B", name="南山社区日间照料中心"),
    }


def names(response):
    return {facility.name for facility in response.context["page"]}


def test_list_shows_operating_facilities_only(client, facilities):
    shown = names(client.get(LIST))
    assert "红旗社区已停用中心" not in shown
    assert len(shown) == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "institution"}, {"鸡东县社会福利院"}),
        ({"district": "230321000000"}, {"鸡东县社会福利院"}),
        ({"street": "230302002000"}, {"南山街道综合养老服务中心", "南山社区日间照料中心"}),
        ({"street": "230302001000"}, {"建设社区日间照料中心"}),
        ({"service": "bathing"}, {"建设社区日间照料中心"}),
        ({"q": "福利"}, {"鸡东县社会福利院"}),
        ({"q": "南山", "kind": "daycare"}, {"南山社区日间照料中心"}),
        # The box reads the one search's kept text: the division's names too, every word, folded (NFKC).
        ({"q": "向阳街道"}, {"建设社区日间照料中心"}),
        ({"q": "鸡冠区 照料"}, {"建设社区日间照料中心", "南山社区日间照料中心"}),
        ({"q": "南山　服务中心"}, {"南山街道综合养老服务中心"}),
        ({"kind": "nonsense"}, {"建设社区日间照料中心", "南山街道综合养老服务中心", "鸡东县社会福利院", "南山社区日间照料中心"}),
    ],
)
def test_list_filters(client, facilities, params, expected):
    assert names(client.get(LIST, params)) == expected


def test_the_service_filter_offers_the_ten_helps_as_stored_without_reading_them(db, django_assert_num_queries):
    """Its options are the closed list's constants: they must be the stored rows, in their order, by their names."""
    stored = [("", "全部服务项目"), *((service.code, str(service)) for service in CareService.objects.order_by("ordering"))]
    field = FacilityFilterForm().fields["service"]  # the form reads its districts
    with django_assert_num_queries(0):
        offered = [(str(value), str(label)) for value, label in field.choices]
    assert offered == stored
    assert len(stored) == 11


def test_open_now_filter_follows_the_clock(client, facilities, monkeypatch):
    from core import opening

    monkeypatch.setattr(opening, "local_now", lambda: at(2025, 6, 15, 10, 0))  # a Sunday: every one is closed
    assert names(client.get(LIST, {"open_now": "on"})) == set()
    monkeypatch.setattr(opening, "local_now", lambda: at(2025, 6, 16, 10, 0))  # Monday 10:00
    assert len(names(client.get(LIST, {"open_now": "on"}))) == 4
    monkeypatch.setattr(opening, "local_now", lambda: at(2025, 6, 16, 12, 0))  # lunch break
    assert names(client.get(LIST, {"open_now": "on"})) == set()


def test_detail_shows_services_hours_phone_link_and_beds_of_an_institution(client, facilities):
    html = client.get(reverse("eldercare:detail", args=[facilities["institution"].pk])).content.decode()
    assert 'href="tel:0467-5550000"' in html
    assert "公办" in html and "120" in html and "80" in html
    assert "08:30-11:30,13:30-17:30" in html


def test_detail_of_a_street_centre_names_the_missing_function(client, facilities):
    html = client.get(reverse("eldercare:detail", args=[facilities["centre"].pk])).content.decode()
    assert "✗ 对下指导（暂无）" in html
    assert "助医" in html


def test_detail_of_a_closed_facility_says_so(client, facilities):
    html = client.get(reverse("eldercare:detail", args=[facilities["closed"].pk])).content.decode()
    assert "状态：停用" in html


def test_detail_of_a_missing_facility_is_404(client, db):
    assert client.get(reverse("eldercare:detail", args=[999])).status_code == 404


def test_nearest_lists_located_centres_with_straight_line_distance(client, city, facilities):
    response = client.get(NEAREST, {"community": city["community_a"].code})
    rows = response.context["rows"]
    assert [row["facility"].code for row in rows] == ["R-A", "J-B"]
    assert rows[0]["distance"] == "约 650 米"
    html = response.content.decode()
    assert "约 650 米" in html
    assert "鸡冠区另有 1 处设施未登记坐标" in html  # in community_b: another street of the same district
    assert "鸡东县社会福利院" not in html  # institutions are not in the 15-minute circle


def test_nearest_counts_the_unplaced_facilities_of_the_communitys_district_only(client, city, facilities, make_facility):
    make_facility(city["community_c"], code="R-C", name="东升社区日间照料中心")  # 鸡东县: another district
    make_facility(city["street_b"], code="J-N", kind=FacilityKind.STREET_CENTRE, name="无坐标综合中心")  # 鸡冠区
    make_facility(city["community_a2"], code="R-Y", name="无坐标已停用", status="closed")  # not operating
    html = client.get(NEAREST, {"community": city["community_a"].code}).content.decode()
    assert "鸡冠区另有 2 处设施未登记坐标" in html
    community_c = city["community_c"]
    community_c.latitude, community_c.longitude = 45.25, 131.10
    community_c.save()
    html = client.get(NEAREST, {"community": community_c.code}).content.decode()
    assert "鸡东县另有 1 处设施未登记坐标" in html


def test_nearest_for_a_community_without_coordinates_says_so(client, city, facilities):
    html = client.get(NEAREST, {"community": city["community_a2"].code}).content.decode()
    assert "这个社区还没有登记坐标" in html


def test_nearest_asks_for_the_district_then_its_streets_then_their_communities(client, city):
    html = client.get(NEAREST).content.decode()
    assert f'<option value="{city["district"].code}">鸡冠区</option>' in html
    assert 'name="street"' not in html and 'name="community"' not in html  # no list of every street
    html = client.get(NEAREST, {"district": city["district"].code}).content.decode()
    assert f'<option value="{city["street_a"].code}">向阳街道</option>' in html
    assert "鸡东镇街道" not in html  # another district's street is not offered
    assert 'name="community"' not in html
    html = client.get(NEAREST, {"street": city["street_a"].code}).content.decode()
    assert f'<option value="{city["community_a"].code}">建设社区</option>' in html
    assert "南山社区" not in html  # another street's community is not offered


def test_nearest_keeps_the_chosen_district_street_and_community_selected(client, city, facilities):
    html = client.get(NEAREST, {"community": city["community_a"].code}).content.decode()
    assert f'<option value="{city["district"].code}" selected>' in html
    assert f'<option value="{city["street_a"].code}" selected>' in html
    assert f'<option value="{city["community_a"].code}" selected>' in html


def test_nearest_widens_its_search_until_it_has_the_nearest_ten(client, city, make_facility):
    """Centres 0.5 km to 30 km away (north of 建设社区, 45.30 N 130.97 E): the ten nearest, in order, whatever box held them."""
    for n in range(12):
        make_facility(
            city["community_b"], code=f"F{n:02d}", latitude=45.30 + 0.0045 * (1.5**n), longitude=130.97
        )
    make_facility(city["community_b"], code="FAR", latitude=46.5, longitude=130.97)  # 133 km: outside 35 km
    rows = client.get(NEAREST, {"community": city["community_a"].code}).context["rows"]
    assert [row["facility"].code for row in rows] == [f"F{n:02d}" for n in range(10)]
    assert [row["metres"] for row in rows] == sorted(row["metres"] for row in rows)


def test_list_query_count_does_not_grow_with_the_facilities(client, city, make_facility, django_assert_max_num_queries):
    for n in range(3):
        make_facility(city["community_a"], code=f"R{n}", services=["meals"])
    with django_assert_max_num_queries(9) as few:
        client.get(LIST)
    for n in range(3, 20):
        make_facility(city["community_b"], code=f"R{n}", services=["meals", "bathing"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(LIST).context["page"].object_list) == 20


def test_detail_and_nearest_query_counts_are_bounded(client, city, facilities, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # the facility, its services, the week's calendar, its 好差评
        client.get(reverse("eldercare:detail", args=[facilities["centre"].pk]))
    # The community, how many districts (listed or typed), the districts, its streets, its communities, at
    # most four boxes of the grid, the facilities found and the count of those without coordinates.
    with django_assert_max_num_queries(11):
        client.get(NEAREST, {"community": city["community_a"].code})


# --- no personal data anywhere public -----------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)


def _crawl(client, seeds):
    seen, queue, pages = set(), list(seeds), {}
    while queue and len(seen) < 300:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        pages[url] = (response.status_code, response.content.decode())
        if response.status_code != 200:
            continue
        parser = _Links()
        parser.feed(pages[url][1])
        for link in parser.links:
            absolute = urljoin(url, link)
            if urlsplit(absolute).path.startswith("/eldercare/") and not urlsplit(absolute).scheme:
                queue.append(absolute)
    return pages


def test_no_public_eldercare_page_shows_an_id_number_or_an_elderly_phone(client, city, facilities, make_elder):
    elders = [
        make_elder(city[key], id_number=valid_id(f"2303021940010{n:04d}"), phone=f"1391234{n:04d}")
        for n, key in enumerate(["community_a", "community_a2", "community_b", "community_c", "village"])
    ]
    Visit.objects.create(elder=elders[0], visited_on="2025-06-30", visitor="刘洋")
    seeds = [LIST, f"{LIST}?kind=daycare&open_now=on", f"{LIST}?q=社区", reverse("eldercare:detail", args=[9999])]
    seeds += [f"{NEAREST}?community={city[key].code}" for key in ("community_a", "community_a2", "community_b", "village")]
    seeds += [reverse("eldercare:detail", args=[f.pk]) for f in facilities.values()]
    pages = _crawl(client, seeds)
    assert len(pages) >= 12
    assert all(status in (200, 404) for status, _ in pages.values()), {u: s for u, (s, _) in pages.items()}
    for url, (_status, html) in pages.items():
        assert not ID_PATTERN.search(html), url
        for elder in elders:
            assert elder.phone not in html, url
            assert elder.name not in html, url


def test_the_staff_pages_are_not_reachable_anonymously(client, elder_a):
    assert client.get(reverse("eldercare:visits_todo")).status_code == 302
    response = client.post(reverse("eldercare:record_visit", args=[elder_a.pk]), {"method": "phone"})
    assert response.status_code == 302
    assert not Visit.objects.exists()
