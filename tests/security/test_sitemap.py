"""/sitemap.xml lists every public page and nothing else; /robots.txt keeps crawlers out of the back office."""

import re

import pytest

from core.fields import Status
from eldercare.models import FacilityKind
from tests.eldercare.conftest import build_facility
from tests.facilities.conftest import make_centre
from volunteers.models import Team


def _locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return {re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())}


@pytest.fixture
def public_records(city):
    return {
        "centre": make_centre(city["community_a"], "SQ-A"),
        "closed_centre": make_centre(city["community_b"], "SQ-B", status=Status.CLOSED),
        "facility": build_facility(city["street_b"], code="ZH-B", kind=FacilityKind.STREET_CENTRE),
        "building": build_facility(city["community_a"], code="RZ-A", status=Status.CONSTRUCTION),
        "team": Team.objects.create(code="T-A", name="建设志愿服务队", community=city["community_a"]),
    }


def test_the_sitemap_lists_home_the_three_lists_and_every_public_detail_page(client, public_records):
    records = public_records
    assert _locations(client) == {
        "/", "/facilities/", "/eldercare/", "/volunteers/",
        f"/facilities/{records['centre'].pk}/", f"/eldercare/{records['facility'].pk}/",
        f"/volunteers/{records['team'].pk}/",
    }


def test_the_sitemap_reads_a_fixed_number_of_queries_however_many_records(
    client, city, public_records, django_assert_max_num_queries
):
    for number in range(10):
        make_centre(city["community_a"], f"SQ-X{number}")
        Team.objects.create(code=f"T-X{number}", name=f"队{number}", community=city["community_b"])
    with django_assert_max_num_queries(6):
        assert len(_locations(client)) == 27


def test_robots_txt_allows_the_public_pages_and_disallows_the_back_office(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for rule in ("Allow: /facilities/", "Allow: /eldercare/", "Allow: /volunteers/",
                 "Disallow: /admin/", "Disallow: /compliance/", "Disallow: /workspace/"):
        assert rule in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
