"""The public detail pages read their record, its names and its closed lists with SQL compiled once a process
(``core.compiled.Prepared``): each request reads the rows afresh, nothing is compiled again."""

import pytest

from tests.builders import CentreFactory, FacilityFactory, TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_rendered")]


@pytest.fixture
def pages_rendered(settings):
    settings.PUBLIC_PAGE_CACHE = False  # every request renders: what a resident meets right after a save


@pytest.mark.parametrize(("factory", "url", "compiled_each_time"), [
    (lambda city: CentreFactory(community=city["community_a"]), "/facilities/{}/", []),
    (lambda city: FacilityFactory(division=city["community_a"], services=["meals", "bathing"]), "/eldercare/{}/", []),
    # The team's hours per month are read for the last 12 months from today: compiled each time.
    (lambda city: TeamFactory(community=city["community_a"], fields=["助老"]), "/volunteers/{}/",
     ["volunteers.ServiceRecord"]),
])
def test_a_detail_page_compiles_nothing_after_the_first(city, client, compiles, factory, url, compiled_each_time):
    first, second = factory(city), factory(city)
    assert client.get(url.format(first.pk)).status_code == 200
    compiles.clear()
    page = client.get(url.format(second.pk)).content.decode()
    assert compiles == compiled_each_time
    assert second.name in page


def test_a_detail_page_shows_a_change_at_once(city, client):
    centre = CentreFactory(community=city["community_a"], name="旧名中心")
    assert "旧名中心" in client.get(f"/facilities/{centre.pk}/").content.decode()
    centre.name = "新名中心"
    centre.save()
    page = client.get(f"/facilities/{centre.pk}/").content.decode()
    assert "新名中心" in page and "旧名中心" not in page
    centre.status = "closed"
    centre.save()
    assert client.get(f"/facilities/{centre.pk}/").status_code == 404  # residents see operating centres only
    assert client.get("/facilities/987654321/").status_code == 404


@pytest.mark.parametrize(("factory", "url", "elsewhere"), [
    (lambda city, name: CentreFactory(community=city["community_a"], name=name), "/facilities/",
     lambda city: {"district": city["district2"].pk}),
    (lambda city, name: FacilityFactory(division=city["community_a"], name=name), "/eldercare/",
     lambda city: {"district": city["district2"].code}),
    (lambda city, name: TeamFactory(community=city["community_a"], name=name), "/volunteers/",
     lambda city: {"district": city["district2"].pk}),
])
def test_a_list_opened_without_filters_compiles_nothing_after_the_first(city, client, compiles, factory, url, elsewhere):
    first, _second = factory(city, "第一家"), factory(city, "第二家")
    assert "第一家" in client.get(url).content.decode()
    first.name = "改名第一家"
    first.save()  # read afresh: the statements are kept, not the rows
    compiles.clear()
    page = client.get(url).content.decode()
    assert compiles == []
    assert "改名第一家" in page and "第二家" in page
    filtered = client.get(url, elsewhere(city)).content.decode()  # a filtered list: compiled as it comes
    assert compiles != []
    assert "第二家" not in filtered and "改名第一家" not in filtered


def test_a_prepared_page_is_the_rows_it_slices_whatever_the_page_size(city, client, monkeypatch):
    for number in range(25):
        CentreFactory(community=city["community_a"], name=f"中心{number:02d}", code=f"SQ-P{number:02d}")
    twenty = client.get("/facilities/", {"page": 2}).content.decode()  # rows 21-25: five rows
    monkeypatch.setattr("facilities.views.PAGE_SIZE", 5)
    five = client.get("/facilities/", {"page": 2}).content.decode()  # rows 6-10: five rows too, not the same
    assert "中心20" in twenty and "中心20" not in five
    assert "中心05" in five and "中心05" not in twenty


def test_a_prepared_count_is_the_one_of_its_cap(city, client, monkeypatch):
    for number in range(6):
        CentreFactory(community=city["community_a"], code=f"SQ-C{number:02d}")
    with monkeypatch.context() as patched:
        patched.setattr("core.places.CappedPaginator.cap", 4)
        assert "共 4 个" in client.get("/facilities/").content.decode()
    assert "共 6 个" in client.get("/facilities/").content.decode()  # counted up to 1,001 again, not 5


def test_the_nearest_search_compiles_nothing_after_the_first_and_reads_afresh(city, client, compiles):
    """``/eldercare/nearest/``: the community, its district's streets and street's communities, each box of the grid
    and the count of unplaced facilities, compiled once a process with stand-ins (a box's bounds and rows too)."""
    near_a = FacilityFactory(division=city["community_a"], kind="daycare", name="建设日间照料",
                             latitude=45.301, longitude=130.971)
    FacilityFactory(division=city["community_b"], kind="daycare", name="南山日间照料",
                    latitude=45.309, longitude=130.981)
    assert "建设日间照料" in client.get("/eldercare/nearest/", {"community": city["community_a"].code}).content.decode()
    near_a.name = "建设日间照料（新址）"
    near_a.save()
    compiles.clear()
    response = client.get("/eldercare/nearest/", {"community": city["community_b"].code})
    assert compiles == []
    rows = response.context["rows"]
    assert [row["facility"].name for row in rows] == ["南山日间照料", "建设日间照料（新址）"]
    assert rows[0]["metres"] < rows[1]["metres"]
    page = response.content.decode()
    assert "南山社区" in page and "向阳街道" in page  # its street's communities and its district's streets


def test_near_me_compiles_nothing_after_the_first_and_reads_afresh(city, client, compiles):
    """Near me without words or "open now": each kind's box is compiled once a process per step, with stand-ins
    for its bounds and the point it measures from; the rows are read afresh."""
    from facilities.models import Centre

    first = CentreFactory(community=city["community_a"], name="第一中心", latitude=45.3001, longitude=130.9701)
    CentreFactory(community=city["community_b"], name="第二中心", latitude=45.3101, longitude=130.9801)
    assert "第一中心" in client.get("/near/", {"lat": "45.30", "lon": "130.97"}).content.decode()
    Centre.objects.filter(pk=first.pk).update(name="第一中心（改）")
    compiles.clear()
    page = client.get("/near/", {"lat": "45.31", "lon": "130.98"}).content.decode()
    assert compiles == []
    assert page.index("第二中心") < page.index("第一中心（改）")  # nearest first, from the other point
    client.get("/near/", {"lat": "45.31", "lon": "130.98", "kind": "centre", "open": "1"})
    assert compiles != []  # "open now": compiled as it comes


def test_the_one_search_compiles_nothing_for_words_of_the_same_shape(city, client, compiles):
    """The one search's query per kind is compiled once a process per shape (words, and closed-list values each
    word matches), with stand-ins for the patterns; ``LIKE``'s wildcards in a word are still taken literally."""
    CentreFactory(community=city["community_a"], name="阳光中心")
    CentreFactory(community=city["community_a"], name="星光中心")
    CentreFactory(community=city["community_a"], name="百分之百_中心")
    assert "阳光中心" in client.get("/search/", {"q": "阳光"}).content.decode()
    compiles.clear()
    page = client.get("/search/", {"q": "星光"}).content.decode()
    assert compiles == []
    assert "星光中心" in page and "阳光中心" not in page
    assert "阳光中心" not in client.get("/search/", {"q": "阳_"}).content.decode()  # "_" as a wildcard would match 阳光
    assert "百分之百_中心" in client.get("/search/", {"q": "百分之百_"}).content.decode()
    assert "阳光中心" not in client.get("/search/", {"q": "%光"}).content.decode()


@pytest.mark.parametrize(("url", "built"), [
    ("/facilities/", "facilities.filters.PublicCentreFilter.__init__"),
    ("/eldercare/", "eldercare.forms.FacilityFilterForm.__init__"),
    ("/volunteers/", "volunteers.filters.TeamFilter.__init__"),
])
def test_a_list_opened_without_filters_builds_no_filters_after_the_first(city, client, monkeypatch, url, built):
    """Its fields' markup is kept and its statements compiled: the filter set (or form) and its querysets are built
    only to fill those (``core.public_lists.Unfiltered``); a filtered request still builds them."""
    CentreFactory(community=city["community_a"])
    FacilityFactory(division=city["community_a"])
    TeamFactory(community=city["community_a"])
    assert client.get(url).status_code == 200
    module, cls, method = built.rsplit(".", 2)
    kind = getattr(__import__(module, fromlist=[cls]), cls)
    calls = []
    original = kind.__init__
    monkeypatch.setattr(kind, "__init__", lambda self, *args, **kwargs: calls.append(1) or original(self, *args, **kwargs))
    assert client.get(url).status_code == 200
    assert client.get(url, {"page": 1}).status_code == 200
    assert calls == []
    assert client.get(url, {"district": city["district"].pk if url != "/eldercare/" else city["district"].code}).status_code == 200
    assert calls == [1]


@pytest.mark.parametrize(("url", "create", "drop"), [
    ("/facilities/", lambda city, i: CentreFactory(community=city["community_a"]),
     lambda record: setattr(record, "status", "closed") or record.save()),
    ("/eldercare/", lambda city, i: FacilityFactory(division=city["community_a"]),
     lambda record: setattr(record, "status", "closed") or record.save()),
    ("/volunteers/", lambda city, i: TeamFactory(community=city["community_a"]),
     lambda record: record.delete()),
])
def test_an_unfiltered_list_counts_from_its_kept_total(city, client, monkeypatch, url, create, drop):
    """Opened without filters, a list's "共 N 个" is the total the portal keeps (``core.kept_figures.totals``), not a
    count of its rows; a new record and one closed or deleted show in it at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.places import CappedPaginator

    records = [create(city, i) for i in range(3)]
    client.get(url)  # the kept total, read once into the shared cache
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "共 3 个" in page
    assert not [query for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT(*)")]
    create(city, 3)
    assert "共 4 个" in client.get(url).content.decode()
    drop(records[0])
    assert "共 3 个" in client.get(url).content.decode()
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    assert "共 2 个" in client.get(url).content.decode()  # more than the cap: the pages stop there
