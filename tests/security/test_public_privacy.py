"""No personal data on the public site: crawled as an anonymous resident over the seeded demo city.

Starting from ``/`` and ``/sitemap.xml`` the crawl follows every same-site link (admin and accounts pages
aside, at most ``MAX_PAGES``), then adds the error pages a resident can reach. No page may show an ID number
(``\\d{17}[\\dXx]``), any mobile number (``1[3-9]\\d{9}``), the mobile number of an elder, volunteer or team
contact (each one searched literally, also with separators), or the name of an elder. The open-data API is
crawled too: its fully nested lists and every CSV of its data package (``OPEN_DATA``).
"""

import html
import io
import re
import zipfile
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from core.fields import Status
from eldercare.models import Elder, Facility
from facilities.models import Centre
from tests.demo_city import seed as seed_demo_city
from tests.security.world import World
from volunteers.models import Member, Team

# Every test reads the module's crawl; the mark makes pytest-django set the test database up.
pytestmark = pytest.mark.django_db

MAX_PAGES = 400
SKIP = ("/admin/", "/accounts/", "/static/", "/i18n/")
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
MOBILE = re.compile(r"1[3-9]\d{9}")
OPEN_DATA = [
    "/api/hsds/services?full=true&per_page=1000",
    "/api/hsds/service_at_locations?full=true&per_page=1000",
    "/api/hsds/organizations?full=true&full_service=true&per_page=1000",
    "/api/hsds/taxonomy_terms?per_page=1000",
    "/api/hsds/datapackage.zip",
]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LINK = re.compile(r"""(?:href|action)="([^"]*)"|<loc>([^<]*)</loc>""")


def _seed():
    seed_demo_city()
    closed = Facility.objects.order_by("code").first()
    closed.status = Status.CLOSED
    closed.save()
    return {"closed_facility": closed.pk, "building_centre": Centre.objects.exclude(status=Status.OPERATING).first().pk}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with World(django_db_blocker, build=_seed) as built:
        yield built


def _same_site_paths(base, page):
    for match in LINK.finditer(page):
        raw = html.unescape(match.group(1) or match.group(2) or "")
        parts = urlsplit(urljoin(base, raw))
        if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http", "https"):
            continue
        if parts.path.startswith(SKIP) or parts.path.endswith("/logout/"):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def crawl(demo, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        client = Client()
        pages, queue, seen = {}, deque(["/", "/sitemap.xml"]), {"/", "/sitemap.xml"}
        while queue and len(pages) < MAX_PAGES:
            url = queue.popleft()
            response = client.get(url)
            body = response.content.decode("utf-8", "replace")
            # A UUID's hex can hold eleven digits that look like a mobile number: ids are not phones.
            pages[url] = (response.status_code, UUID.sub("<uuid>", body))
            for path in _same_site_paths(url, body):
                if path not in seen:
                    seen.add(path)
                    queue.append(path)
        errors = [
            "/no-such-page/", "/facilities/999999/", f"/facilities/{demo['building_centre']}/",
            f"/eldercare/{demo['closed_facility']}/", "/eldercare/?district=abc&street=xyz&kind=nope&service=0",
            "/facilities/?street=abc&page=999", "/volunteers/?community=zzz&field=-1&page=abc",
            "/eldercare/nearest/?community=000000000000", "/eldercare/999999/", "/volunteers/999999/",
        ]
        for url in errors:
            response = client.get(url)
            pages[url] = (response.status_code, response.content.decode("utf-8", "replace"))
        for url in OPEN_DATA:  # the HSDS API (JSON) and its data package (every CSV of the zip)
            response = client.get(url)
            if url.endswith(".zip"):
                archive = zipfile.ZipFile(io.BytesIO(response.content))
                body = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
            else:
                body = response.content.decode("utf-8")
            # A UUID's hex can hold eleven digits that look like a mobile number: ids are not phones.
            pages[url] = (response.status_code, UUID.sub("<uuid>", body))
        secrets = {
            "elder_ids": set(Elder.objects.values_list("id_number", flat=True)),
            "elder_names": set(Elder.objects.values_list("name", flat=True)),
            "mobiles": {
                number for number in [
                    *Elder.objects.values_list("phone", flat=True),
                    *Member.objects.values_list("phone", flat=True),
                    *Team.objects.values_list("phone", flat=True),
                ] if number and MOBILE.fullmatch(re.sub(r"\D", "", number))
            },
        }
    return {"pages": pages, "secrets": secrets, "errors": errors}


def test_the_crawl_visits_every_kind_of_public_page(crawl):
    visited = {url for url, (status, _) in crawl["pages"].items() if status == 200}
    for pattern in (r"/facilities/\d+/", r"/eldercare/\d+/", r"/volunteers/\d+/", r"/eldercare/nearest/"):
        assert any(re.fullmatch(pattern, url) for url in visited), f"no page like {pattern} was visited"
    assert {"/", "/facilities/", "/eldercare/", "/volunteers/", "/sitemap.xml", "/open-data/", *OPEN_DATA} <= visited
    assert '"total_items"' in crawl["pages"][OPEN_DATA[0]][1] and "tabular-data-package" in crawl["pages"][OPEN_DATA[-1]][1]
    assert any("page=2" in url for url in visited), "no second page of a list was visited"
    assert len(crawl["pages"]) < MAX_PAGES + len(crawl["errors"]), "the crawl hit its bound: raise MAX_PAGES"


def test_the_crawl_met_the_error_pages(crawl):
    statuses = {url: crawl["pages"][url][0] for url in crawl["errors"]}
    assert statuses["/no-such-page/"] == 404 and statuses["/facilities/999999/"] == 404
    assert "页面不存在" in crawl["pages"]["/no-such-page/"][1]
    assert all(status in (200, 404) for status in statuses.values()), statuses


def test_the_demo_city_has_the_personal_data_the_crawl_looks_for(crawl):
    secrets = crawl["secrets"]
    assert len(secrets["elder_ids"]) > 50 and len(secrets["elder_names"]) > 20 and len(secrets["mobiles"]) > 50


def test_no_public_page_shows_an_id_number(crawl):
    found = {url: ID_NUMBER.findall(body) for url, (_, body) in crawl["pages"].items() if ID_NUMBER.search(body)}
    assert not found


def test_no_public_page_shows_a_mobile_number(crawl):
    found = {url: MOBILE.findall(body) for url, (_, body) in crawl["pages"].items() if MOBILE.search(body)}
    assert not found


def test_no_public_page_shows_the_phone_of_an_elder_volunteer_or_team_contact(crawl):
    found = {}
    for url, (_, body) in crawl["pages"].items():
        digits = re.sub(r"[\s\-–—]", "", body)
        hits = [number for number in crawl["secrets"]["mobiles"] if re.sub(r"\D", "", number) in digits]
        if hits:
            found[url] = hits
    assert not found


def test_no_public_page_names_an_elder(crawl):
    found = {}
    for url, (_, body) in crawl["pages"].items():
        hits = [name for name in crawl["secrets"]["elder_names"] if name in body]
        if hits:
            found[url] = hits
    assert not found


def test_the_detectors_find_personal_data_where_it_is_meant_to_be_shown(crawl, client):
    """The same checks, run on an administrator's page of an elder, do find the ID, phone and name."""
    from core.models import Role, User

    elder = Elder.objects.exclude(phone="").first()
    client.force_login(User.objects.create(username="adam", role=Role.ADMIN))
    body = client.get(f"/admin/eldercare/elder/{elder.pk}/change/").content.decode()
    assert ID_NUMBER.search(body) and MOBILE.search(body) and elder.name in body
