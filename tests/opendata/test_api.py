"""The HSDS API as another government app uses it: ids, filters, paging, schedules, HTTP caching, CORS, limits."""

import datetime

import pytest

from core.fields import Status
from core.models import Holiday
from core.opening import local_now
from eldercare.models import CareService, FacilityKind
from facilities.models import Service
from opendata import taxonomy
from opendata.ids import stable_id
from tests.eldercare.conftest import build_facility
from tests.facilities.conftest import make_centre
from tests.opendata.conftest import errors_of, page_schema_errors
from tests.opendata.test_datapackage import read_package
from volunteers.models import ServiceField, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(city):
    """A centre, a day-care centre with meals, an institution and a team in street A; a closed centre."""
    centre = make_centre(city["community_a"], "SQ-1", latitude=45.3001, longitude=130.9701)
    daycare = build_facility(
        city["community_a"], code="RZ-1", services=("meals", "bathing"), latitude=45.301, longitude=130.971
    )
    home = build_facility(
        city["community_b"], code="JG-1", kind=FacilityKind.INSTITUTION, beds=100, nursing_beds=60, ownership="public",
        latitude=45.40, longitude=131.10,
    )
    team = Team.objects.create(
        code="T-1", name="建设社区志愿服务队", community=city["community_a"], party_backbone=True, member_count=9,
        leader="姚秀兰", phone="13912345678", meeting_place="建设社区活动室，联系 13812345678",
        how_to_join="找姚秀兰报名",
    )
    team.fields.add(ServiceField.objects.create(name="助老"))
    closed = make_centre(city["community_b"], "SQ-2", status=Status.CLOSED)
    return {"centre": centre, "daycare": daycare, "institution": home, "team": team, "closed": closed, **city}


def _ids(body):
    return [item["id"] for item in body["contents"]]


def test_a_service_id_is_uuid5_of_the_model_label_and_key_and_never_changes(client, place):
    centre = place["centre"]
    expected = stable_id("facilities.Centre", centre.pk)
    assert expected in _ids(client.get("/api/hsds/services").json())
    centre.name = "建设社区党群服务中心（新址）"
    centre.address = "建设社区新路 9 号"
    centre.save()
    body = client.get(f"/api/hsds/services/{expected}").json()
    assert body["id"] == expected and body["name"] == "建设社区党群服务中心（新址）"


def test_the_list_holds_the_public_records_of_the_three_kinds_and_nothing_closed(client, place):
    ids = _ids(client.get("/api/hsds/services").json())
    expected = [
        stable_id("facilities.Centre", place["centre"].pk),
        stable_id("eldercare.Facility", place["daycare"].pk),
        stable_id("eldercare.Facility", place["institution"].pk),
        stable_id("volunteers.Team", place["team"].pk),
    ]
    assert ids == expected
    assert client.get(f"/api/hsds/services/{stable_id('facilities.Centre', place['closed'].pk)}").status_code == 404


def test_paging_across_kinds_gives_every_record_once(client, place):
    pages = [client.get(f"/api/hsds/services?per_page=3&page={n}").json() for n in (1, 2, 3)]
    assert [p["size"] for p in pages] == [3, 1, 0]
    assert pages[0]["total_items"] == 4 and pages[0]["total_pages"] == 2
    assert pages[0]["first_page"] and not pages[0]["last_page"] and pages[1]["last_page"]
    assert len(set(_ids(pages[0]) + _ids(pages[1]))) == 4


def test_the_unfiltered_total_is_read_from_the_kept_figures_and_equals_a_count(client, place):
    """No COUNT over the three tables for the unfiltered list (it grew with the data: 92 of 103 ms at 40×): the
    street rows the database keeps (portal.StreetFigures) give the same total; a filtered list still counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/hsds/services", {"per_page": 2}).json()
    assert body["total_items"] == 4 and body["total_pages"] == 2
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len([q for q in queries if "portal_streetfigures" in q["sql"]]) == 1  # the three kinds' totals in one read
    make_centre(place["community_b"], "SQ-3")
    assert client.get("/api/hsds/services").json()["total_items"] == 5
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/hsds/services", {"search": "志愿服务队"}).json()["total_items"] == 1
    assert [q for q in queries if "COUNT(" in q["sql"].upper()]  # a filtered list counts its own rows


def test_unreadable_parameters_are_refused_in_chinese_naming_the_parameter(client, place):
    for url, word in (
        ("/api/hsds/services?page=abc", "page"),
        ("/api/hsds/services?modified_after=yesterday", "modified_after"),
        ("/api/hsds/services?full=perhaps", "full"),
        ("/api/hsds/service_at_locations?proximity=1000", "postcode"),
        ("/api/hsds/service_at_locations?proximity=far&postcode=230302001001", "proximity"),
        ("/api/hsds/services?format=xml", "format"),
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert word in response.json()["detail"], url


def test_search_finds_by_name_or_address(client, place):
    body = client.get("/api/hsds/services", {"search": "日间照料"}).json()
    assert _ids(body) == [stable_id("eldercare.Facility", place["daycare"].pk)]


def test_a_ten_helps_term_selects_the_facilities_offering_it(client, place):
    meals = taxonomy.TEN_HELP_TERMS["meals"].id
    assert _ids(client.get("/api/hsds/services", {"taxonomy_term_id": meals}).json()) == [
        stable_id("eldercare.Facility", place["daycare"].pk)
    ]
    kind = taxonomy.KIND_TERMS[taxonomy.KIND_TEAM].id
    assert _ids(client.get("/api/hsds/services", {"taxonomy_term_id": kind}).json()) == [
        stable_id("volunteers.Team", place["team"].pk)
    ]
    assert client.get("/api/hsds/services", {"taxonomy_term_id": "no-such-term"}).json()["total_items"] == 0


def test_organization_filter_the_street_office_and_the_institution(client, place):
    orgs = client.get("/api/hsds/organizations?per_page=100").json()["contents"]
    office = next(o for o in orgs if o["name"] == "向阳街道办事处")
    institution = next(o for o in orgs if o["name"] == place["institution"].name)
    assert "红星乡人民政府" in [o["name"] for o in orgs]
    in_street_a = _ids(client.get("/api/hsds/services", {"organization_id": office["id"]}).json())
    assert in_street_a == [
        stable_id("facilities.Centre", place["centre"].pk),
        stable_id("eldercare.Facility", place["daycare"].pk),
        stable_id("volunteers.Team", place["team"].pk),
    ]
    assert _ids(client.get("/api/hsds/services", {"organization_id": institution["id"]}).json()) == [
        stable_id("eldercare.Facility", place["institution"].pk)
    ]
    full = client.get(f"/api/hsds/organizations/{office['id']}?full_service=true").json()
    assert errors_of("compiled/organization.json", full) == []
    assert [s["id"] for s in full["services"]] == in_street_a


def test_modified_after_and_minimal_serve_a_sync(client, place):
    later = local_now() + datetime.timedelta(minutes=5)
    Team.objects.filter(pk=place["team"].pk).update(updated_at=later + datetime.timedelta(minutes=1))
    body = client.get("/api/hsds/services", {"minimal": "true", "modified_after": later.isoformat()}).json()
    assert body["contents"] == [
        {
            "id": stable_id("volunteers.Team", place["team"].pk), "name": "建设社区志愿服务队", "status": "active",
            "last_modified": body["contents"][0]["last_modified"],
        }
    ]
    assert client.get("/api/hsds/services", {"modified_after": "2000-01-01"}).json()["total_items"] == 4


def test_proximity_from_a_communitys_point(client, place):
    near = client.get("/api/hsds/service_at_locations", {"postcode": "230302001001", "proximity": "500"}).json()
    assert {item["service_id"] for item in near["contents"]} == {
        stable_id("facilities.Centre", place["centre"].pk), stable_id("eldercare.Facility", place["daycare"].pk)
    }
    assert page_schema_errors("compiled/service_at_location_list.json", near) == []
    response = client.get("/api/hsds/service_at_locations", {"postcode": "230302001002", "proximity": "500"})
    assert response.status_code == 400 and "经纬度" in response.json()["detail"]


def test_schedules_are_weekly_intervals_with_the_lunch_break_and_the_holiday_calendar_as_exceptions(client, place):
    today = local_now().date()
    first = today + datetime.timedelta(days=10)
    for offset in range(3):
        Holiday.objects.create(date=first + datetime.timedelta(days=offset), kind=Holiday.DayKind.HOLIDAY, name="国庆节")
    workday = today + datetime.timedelta(days=20)
    Holiday.objects.create(date=workday, kind=Holiday.DayKind.WORKDAY, name="国庆节")
    Holiday.objects.create(date=today - datetime.timedelta(days=1), kind=Holiday.DayKind.HOLIDAY, name="已过")

    centre = client.get(f"/api/hsds/services/{stable_id('facilities.Centre', place['centre'].pk)}").json()
    rows = centre["service_at_locations"][0]["schedules"]
    weekly = [r for r in rows if "valid_from" not in r]
    assert [(r["byday"], r["opens_at"], r["closes_at"]) for r in weekly] == [
        ("MO,TU,WE,TH,FR,SA,SU", "08:00+08:00", "12:00+08:00"),
        ("MO,TU,WE,TH,FR,SA,SU", "13:00+08:00", "17:00+08:00"),
    ]
    dated = [r for r in rows if "valid_from" in r]
    assert {(r["valid_from"], r["valid_to"]) for r in dated} == {
        (first.isoformat(), (first + datetime.timedelta(days=2)).isoformat()), (workday.isoformat(), workday.isoformat())
    }
    # The centre opens on holidays (with its Saturday hours); the day-care centre does not: closed, no opens_at.
    daycare = client.get(f"/api/hsds/services/{stable_id('eldercare.Facility', place['daycare'].pk)}").json()
    holiday_rows = [r for r in daycare["service_at_locations"][0]["schedules"] if r.get("valid_from") == first.isoformat()]
    assert len(holiday_rows) == 1 and "opens_at" not in holiday_rows[0] and "闭馆" in holiday_rows[0]["description"]
    workday_rows = [r for r in daycare["service_at_locations"][0]["schedules"] if r.get("valid_from") == workday.isoformat()]
    assert [(r["opens_at"], r["closes_at"]) for r in workday_rows] == [("08:30+08:00", "11:30+08:00"), ("13:30+08:00", "17:30+08:00")]
    assert errors_of("compiled/service.json", daycare) == []


def test_no_personal_data_a_mobile_is_never_published(client, place):
    body = client.get(f"/api/hsds/services/{stable_id('volunteers.Team', place['team'].pk)}").json()
    text = str(body)
    assert "13912345678" not in text and "13812345678" not in text and "姚秀兰" not in text
    assert body["phones"] == [] and "姚队长" in body["description"] and "姚队长" in body["application_process"]
    centre = client.get(f"/api/hsds/services/{stable_id('facilities.Centre', place['centre'].pk)}").json()
    assert centre["phones"][0]["number"] == "0467-2345678"


def test_text_is_chinese_with_language_set_even_for_an_english_visitor(client, place):
    client.cookies["django_language"] = "en"
    body = client.get(
        f"/api/hsds/services/{stable_id('eldercare.Facility', place['institution'].pk)}", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert body["languages"][0]["code"] == "zh"
    assert "养老机构（公办）" in body["description"] and body["organization"]["legal_status"] == "公办养老机构"


def test_taxonomies_and_terms(client, place):
    Service.objects.create(name="党建活动")
    taxonomies = client.get("/api/hsds/taxonomies").json()
    assert [t["name"] for t in taxonomies["contents"]] == [t.name for t in taxonomy.TAXONOMIES]
    terms = client.get("/api/hsds/taxonomy_terms", {"taxonomy_id": taxonomy.TEN_HELPS.id}).json()
    assert [t["name"] for t in terms["contents"]] == ["助餐", "助浴", "助医", "助洁", "助急", "助行", "助购", "助乐", "助聊", "助学"]
    assert CareService.objects.count() == 10
    all_terms = client.get("/api/hsds/taxonomy_terms?per_page=1000").json()
    assert {"党建活动", "助老", "志愿服务队"} <= {t["name"] for t in all_terms["contents"]}


# ------------------------------------------------------------------ HTTP


def test_etag_and_last_modified_answer_304_until_the_data_changes(client, place):
    first = client.get("/api/hsds/services")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/api/hsds/services", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/hsds/services", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    place["centre"].name = "新名字"
    place["centre"].save()
    changed = client.get("/api/hsds/services", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag and "新名字" in changed.content.decode()


def test_cors_lets_any_site_read_with_get_and_see_the_etag(client, place):
    response = client.get("/api/hsds/services", HTTP_ORIGIN="https://12345.example.cn")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/hsds/services", HTTP_ORIGIN="https://12345.example.cn", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200 and "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/facilities/", HTTP_ORIGIN="https://12345.example.cn")


def test_the_api_is_read_only(client, place):
    response = client.post("/api/hsds/services", {})
    assert response.status_code == 405 and "只读" in response.json()["detail"]


def test_a_client_over_its_rate_gets_a_clear_429_and_others_do_not(client, place, settings):
    settings.OPENDATA_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/api/hsds/taxonomies", REMOTE_ADDR="10.0.0.1").status_code == 200
    refused = client.get("/api/hsds/taxonomies", REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429
    assert "请求过于频繁" in refused.json()["detail"] and int(refused["Retry-After"]) >= 1
    assert client.get("/api/hsds/taxonomies", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_page_that_explains_the_api_shows_working_examples(client, place):
    page = client.get("/open-data/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "HSDS" in text and "/api/hsds/services?per_page=5" in text and "datapackage.zip" in text
    assert client.get("/api/hsds/services?per_page=5").status_code == 200


# ------------------------------------------------------------------ query counts


@pytest.mark.parametrize("full", ["false", "true"])
def test_the_query_count_does_not_grow_with_per_page(client, city, django_assert_max_num_queries, full):
    """At most a count, a fetch and a prefetch per kind, plus the calendar: the same for 3 rows or 90."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(30):
        community = city["community_a"] if n % 2 else city["community_b"]
        make_centre(community, f"C-{n}")
        build_facility(community, code=f"F-{n}", services=("meals",))
        Team.objects.create(code=f"T-{n}", name=f"队{n}", community=community).fields.add(
            ServiceField.objects.get_or_create(name="助老")[0]
        )
    counts = {}
    for per_page in (3, 30, 90, 1000):
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as captured:
            body = client.get(f"/api/hsds/services?per_page={per_page}&page=1&full={full}").json()
        assert body["size"] == min(per_page, 90)
        counts[per_page] = len(captured)
    assert counts[90] == counts[1000]  # every row of the three kinds, 90 or as many as 1000 a page
    assert max(counts.values()) == counts[1000]
    caches["pages"].clear()
    with django_assert_max_num_queries(12):
        client.get(f"/api/hsds/services?per_page=1000&full={full}")


# ------------------------------------------------------------------ data package


def test_the_package_is_served_with_an_etag_and_rebuilt_when_public_data_changes(client, city):
    centre = make_centre(city["community_a"], "SQ-1")
    first = client.get("/api/hsds/datapackage.zip")
    assert first.status_code == 200 and "hsds-datapackage.zip" in first["Content-Disposition"]
    assert client.get("/api/hsds/datapackage.zip", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    again = client.get("/api/hsds/datapackage.zip")
    assert again["ETag"] == first["ETag"]  # built once for this version of the data
    centre.name = "改名后的中心"
    centre.save()
    changed = client.get("/api/hsds/datapackage.zip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    _descriptor, tables = read_package(changed.content)
    assert [row["name"] for row in tables["services"]] == ["改名后的中心"]


def test_the_field_types_follow_the_standards_tables(client, city):
    descriptor, _tables = read_package(client.get("/api/hsds/datapackage.zip").content)
    schedules = next(r for r in descriptor["resources"] if r["name"] == "schedules")
    fields = {field["name"]: field for field in schedules["schema"]["fields"]}
    assert fields["valid_from"]["type"] == "date" and fields["opens_at"]["type"] == "time"
    assert fields["id"]["format"] == "uuid" and schedules["schema"]["primaryKey"] == "id"


def test_ndjson_streams_every_matching_service_without_paging(client, place):
    response = client.get("/api/hsds/services?format=ndjson&per_page=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"
    import json

    lines = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert len(lines) == 4 and all(errors_of("compiled/service_list.json", line) == [] for line in lines)
    sal = client.get("/api/hsds/service_at_locations?format=ndjson&full=true")
    rows = [json.loads(line) for line in b"".join(sal.streaming_content).decode().splitlines()]
    assert len(rows) == 4 and all(errors_of("compiled/service_at_location.json", row) == [] for row in rows)


def test_the_export_command_writes_the_same_package(place, tmp_path):
    from django.core.management import CommandError, call_command

    target = tmp_path / "hsds.zip"
    with open("/dev/null", "w") as quiet:
        call_command("export_hsds", str(target), "--base-url", "https://portal.example.gov.cn/", stdout=quiet)
    _descriptor, tables = read_package(target.read_bytes())
    assert len(tables["services"]) == 4
    assert all(row["url"].startswith("https://portal.example.gov.cn/") for row in tables["services"])
    with pytest.raises(CommandError, match="base-url"):
        call_command("export_hsds", str(target), "--base-url", "portal.example.gov.cn")


def test_organizations_with_their_services_in_a_bounded_number_of_queries(client, city, django_assert_max_num_queries):
    from django.core.cache import caches

    for n, community in enumerate([city["community_a"], city["community_b"], city["village"], city["community_c"]] * 5):
        make_centre(community, f"C-{n}")
        Team.objects.create(code=f"T-{n}", name=f"队{n}", community=community)
    build_facility(city["community_a"], code="JG-9", kind=FacilityKind.INSTITUTION, beds=10)
    for per_page in (1, 1000):
        caches["pages"].clear()
        with django_assert_max_num_queries(14):
            body = client.get(f"/api/hsds/organizations?full=true&full_service=true&per_page={per_page}").json()
        assert page_schema_errors("compiled/organization_list.json", body) == []
    services = {o["name"]: len(o["services"]) for o in body["contents"]}
    assert services["向阳街道办事处"] == 10 and services["红星乡人民政府"] == 10 and services[f"{city['community_a'].name}养老机构"] == 1
