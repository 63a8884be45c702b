"""One search across centres, eldercare facilities and teams, forgiving of how people type Chinese."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eldercare.models import FacilityKind
from portal import search
from tests.eldercare.conftest import build_facility


def found(text, kind):
    _terms, groups = search.search(text, limit=100)
    group = next(group for group in groups if group.kind == kind)
    return {obj.code for obj in group.items}, group.count


def test_terms_fold_full_width_and_split_on_any_space():
    assert search.terms_of("和平社区\u3000日间照料") == ["和平社区", "日间照料"]
    assert search.terms_of("  ＡＢＣ，助餐、 助餐 ") == ["ABC", "助餐"]
    assert search.terms_of("") == []


def test_day_care_finds_every_day_care_centre_by_its_kind(world):
    codes, count = found("日间照料", "facility")
    assert codes == {f.code for f in world["daycare"]}
    assert count == 7
    assert world["street_centre"].code not in codes


def test_community_and_kind_together_find_the_one_centre(world):
    for text in ("和平社区 日间照料", "和平社区\u3000日间照料", "和平　照料"):
        codes, count = found(text, "facility")
        assert codes == {"RZ-HP"}, text
    centres, _count = found("和平社区 日间照料", "centre")
    assert centres == set()


def test_a_ten_helps_service_finds_the_facilities_offering_it(world):
    codes, _count = found("助餐", "facility")
    expected = {f.code for f in world["daycare"] if f.services.filter(code="meals").exists()}
    assert codes == expected and "RZ-HP" in codes


def test_street_name_address_and_team_service_field_are_searched(world):
    assert found("向阳街道", "centre")[0] == {"ZX-HP"}
    assert found("和平路", "centre")[0] == {"ZX-HP"}
    assert found("助老", "team")[0] == {"DW-HP"}


def test_search_page_groups_by_kind_with_counts_open_state_and_call_button(client, world):
    response = client.get(reverse("portal:search"), {"q": "和平社区"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-kind="centre" data-count="1"' in html
    assert 'data-kind="facility" data-count="1"' in html
    assert 'data-kind="team" data-count="1"' in html
    assert 'href="tel:0467-2345678"' in html
    assert "今天" in html


def test_search_query_count_does_not_grow_with_the_city(client, world, django_assert_max_num_queries):
    # The calendar, then one statement per kind (the count a window over the first found: search._first_found).
    with django_assert_max_num_queries(4):
        client.get(reverse("portal:search"), {"q": "社区 中心"})
    for i in range(30):
        build_facility(world["others"][i % 6], code=f"MORE-{i}", name=f"第{i}社区日间照料中心")
    with django_assert_max_num_queries(4):
        response = client.get(reverse("portal:search"), {"q": "社区 中心"})
    assert 'data-kind="facility" data-count="37"' in response.content.decode()


def test_the_overview_counts_to_its_cap_and_sends_on_to_the_kinds_own_pages(client, world, monkeypatch):
    monkeypatch.setattr(search, "OVERVIEW_CAP", 5)  # 7 day-care centres match 照料
    html = client.get(reverse("portal:search"), {"q": "照料"}).content.decode()
    assert 'data-kind="facility" data-count="5" data-capped' in html and "超过 5 个" in html
    assert "查看前 1000 个" in html  # the kind's own pages (core.places.CappedPaginator.cap)
    kind_page = client.get(reverse("portal:search"), {"q": "照料", "kind": "facility"}).content.decode()
    assert 'data-kind="facility" data-count="7"' in kind_page and "data-capped" not in kind_page


def test_the_overview_shows_a_kinds_first_in_its_list_order(world):
    in_order = [obj.code for obj in search.QUERIES["facility"](search.terms_of("照料"))]
    assert len(in_order) == 7
    _terms, (group,) = search.search("照料", kind="facility", limit=3)
    assert [obj.code for obj in group.items] == in_order[:3] and group.count == 7 and not group.capped
    # More match than the overview counts: it shows ``limit`` of those it counted, still in the list's order.
    _terms, (group,) = search.search("照料", kind="facility", limit=3, cap=4)
    codes = [obj.code for obj in group.items]
    assert group.count == 4 and group.capped
    assert len(codes) == 3 and set(codes) <= set(in_order) and codes == sorted(codes, key=in_order.index)


def test_each_words_condition_is_written_once_per_kind(world):
    # Planning the conditions was most of a kind's statement at 40×: the count is not a second copy of them.
    with CaptureQueriesContext(connection) as queries:
        search.search("社区 中心")

    def likes(table):
        (sql,) = [query["sql"] for query in queries.captured_queries if f'FROM "{table}"' in query["sql"]]
        return sql.count(" LIKE ")

    assert likes("facilities_centre") == 2 and likes("volunteers_team") == 2
    assert likes("eldercare_facility") == sum(len(search._patterns("facility", word)) for word in ("社区", "中心"))


def test_one_kind_is_paginated(client, world):
    response = client.get(reverse("portal:search"), {"q": "照料", "kind": "facility"})
    assert response.status_code == 200
    assert response.content.decode().count('class="card place-card') == 7


@pytest.mark.parametrize("kind", [FacilityKind.DAYCARE])
def test_search_ignores_facilities_that_are_not_operating(world, kind):
    build_facility(world["heping"], code="RZ-CLOSED", name="和平社区日间照料中心（旧址）", status="closed")
    assert "RZ-CLOSED" not in found("和平社区 日间照料", "facility")[0]
