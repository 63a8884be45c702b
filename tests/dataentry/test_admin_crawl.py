"""Every admin page a clerk (and a bureau administrator) can reach, crawled: no page reads as Django's machine
Chinese, no English word on a zh-hans page, no link to a page the user may not open.

The crawl starts at /admin/ and follows every admin link (changelists, filters, add/change forms, delete
confirmations, history pages, password change); for each changelist it also posts each action on one record to
reach the action's confirmation page.
"""

import datetime
import html
import re
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from core.opening import local_now
from eldercare.models import Elder, ElderCategory, Facility, FacilityKind, Visit
from facilities.models import Centre, Service
from volunteers.models import CertificateLevel, Member, ServiceField, ServiceRecord, Team, Worker, WorkerRole

#: What Django's own catalogue says that no clerk would (issue #18), and stock English that slipped through.
BAD_PHRASES = (
    "来修改", "来查看", "来更改", "以 ", "动作", "增加", "保存并增加另一个", "保存为新的", "---------",
    "所选的", "选中的", "是的，我确定", "不，返回", "你确认", "过滤器", "站点管理", "在站点上查看", "变更历史", "删除？",
    "对象", "不明", "最近动作", "我的动作", "清除选中", "显示计数", "LogEntry", "Historical",
    "Django", "AXES", "Axes", "Access attempts", "Task results",
)
#: English that may stand on a Chinese page: codes and units of the domain, coordinate systems, the brand of
#: the English switch, and the personas' user names.
ALLOWED_WORDS = {
    "WGS", "GCJ", "BD", "GPS", "SQZX", "ZYD", "LR", "RY", "YL", "English", "alice", "adam", "Excel", "Leaflet",
    "OpenStreetMap", "Tel", "km", "DOMAIN",
}
SKIP = ("/admin/logout/", "/admin/jsi18n/", "/admin/r/", "/admin/autocomplete/")
PER_PATH = 4  # filter variants of one changelist are alike: four of them (and one sort order) are enough
PER_MODEL = 2  # records of one model: the pages of two of them (a plan has forty targets, all alike)


@pytest.fixture
def records(city):
    today = local_now().date()
    centre = Centre.objects.create(
        code="C0001", name="建设社区党群服务中心", community=city["community_a"], address="建设路 12 号",
        total_area=Decimal("200"), activity_area=Decimal("100"), phone="0467-2345678", latitude=45.30,
        longitude=130.97,
    )
    centre.services.add(Service.objects.create(name="文体活动"))
    Facility.objects.create(
        code="YL-R-230302001001", name="建设社区日间照料中心", kind=FacilityKind.DAYCARE,
        division=city["community_a"], address="建设路 14 号", phone="0467-2345680",
    )
    team = Team.objects.create(code="ZYD23030200100101", name="建设社区助老队", community=city["community_a"],
                               member_count=3)
    team.fields.add(ServiceField.objects.create(name="助老服务"))
    Member.objects.create(team=team, name="张三", phone="13800000000")
    ServiceRecord.objects.create(team=team, date=today, hours=Decimal("2"), activity="陪伴")
    Worker.objects.create(
        code="RY23030200100101", name="李红", workplace=city["community_a"], role=WorkerRole.COMMUNITY_WORKER,
        on_duty=True, level=CertificateLevel.ASSISTANT, certificate_number="S0000001",
        obtained_on=today - datetime.timedelta(days=400), registration_valid_until=today + datetime.timedelta(days=30),
        education_hours=Decimal("10"),
    )
    elder = Elder.objects.create(code="LR23030200100101", name="王桂兰", community=city["community_a"],
                                 id_number="11010519491231002X", phone="13812345678")
    elder.categories.set(ElderCategory.objects.all()[:1])
    Visit.objects.create(elder=elder, visited_on=today, visitor="赵敏")
    return city


def visible_text(page):
    """What a person reads: no scripts, styles, tags or attribute values, entities decoded."""
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<bdi>.*?</bdi>", " ", page, flags=re.S)  # values set apart as data (a password hash's salt)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def readable_attributes(page):
    """Words people meet without reading the text: titles, placeholders, labels for screen readers, button values."""
    found = re.findall(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"', page)
    found += re.findall(r'<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', page)
    return html.unescape(" ".join(found))


def english_words(text):
    text = re.sub(r"/[\w/.?=&%-]*", " ", text)  # a page address shown as data (the access log) is no word
    return sorted({word for word in re.findall(r"[A-Za-z]{3,}", text) if word not in ALLOWED_WORDS})


def admin_links(page):
    for href in re.findall(r'href="([^"]+)"', page):
        href = html.unescape(href)
        if href.startswith("?"):
            yield href
        elif href.startswith("/admin/") and not href.startswith(SKIP):
            yield href.split("#")[0]


def _same_page(link):
    """``_changelist_filters`` only remembers where the user came from: the page is the same without it."""
    parts = urlsplit(link)
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                       if key != "_changelist_filters"])
    return parts.path + (f"?{query}" if query else "")


def crawl(client, start="/admin/", limit=600):
    """``{url: response}`` of every admin page reachable from ``start`` by links, plus action confirmations;
    ``response.found_on`` is the page that linked to it."""
    pages, queue, per_path, found_on, records = {}, [start], {}, {}, {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in pages:
            continue
        path = urlsplit(url).path
        parts = path.strip("/").split("/")
        if len(parts) > 3 and parts[3].isdigit():  # /admin/<app>/<model>/<pk>/…
            seen = records.setdefault(tuple(parts[1:3]), set())
            if parts[3] not in seen and len(seen) >= PER_MODEL:
                continue
            seen.add(parts[3])
        query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        if query:
            kind = (path, "o" in query)
            per_path[kind] = per_path.get(kind, 0) + 1
            if per_path[kind] > (1 if "o" in query else PER_PATH):
                continue
        response = client.get(url)
        response.found_on = found_on.get(url)
        pages[url] = response
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        for link in admin_links(page):
            if link.startswith("?"):
                link = path + link
            link = _same_page(link)
            if link not in pages and link not in found_on:
                found_on[link] = url
                queue.append(link)
        if 'name="action"' in page and "_selected_action" in page:
            selected = re.search(r'name="_selected_action" value="([^"]+)"', page)
            for action in re.findall(r'<option value="([^"]+)"', page.split('name="action"')[1].split("</select>")[0]):
                key = f"{path}#action={action}"
                if selected and key not in pages:
                    pages[key] = client.post(path, {"action": action, "_selected_action": [selected.group(1)],
                                                    "index": "0"})
    return pages


def problems(pages):
    found = []
    for url, response in pages.items():
        if response.status_code not in (200, 302):
            found.append(f"{url}: status {response.status_code} (linked from {getattr(response, 'found_on', '')})")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        text = visible_text(page) + " " + readable_attributes(page)
        for phrase in BAD_PHRASES:
            if phrase in text:
                at = text.index(phrase)
                found.append(f"{url}: “{phrase}” in …{' '.join(text[max(0, at - 30):at + 30].split())}…")
        english = english_words(text)
        if english:
            found.append(f"{url}: English {english}")
    return found


@pytest.mark.parametrize("persona", ["alice", "adam"])
def test_every_admin_page_reads_as_a_clerk_would_say_it(persona, request, records, as_user):
    client = as_user(request.getfixturevalue(persona))
    pages = crawl(client)
    assert len(pages) < 600, "the crawl stopped before it saw every page"
    kinds = {re.sub(r"/\d+/", "/<pk>/", urlsplit(url).path) + ("#action" if "#action=" in url else "")
             for url in pages}
    # It saw each kind of page: lists, filters, add and change forms, delete pages and action confirmations.
    for seen in ("/admin/volunteers/team/", "/admin/volunteers/team/add/", "/admin/volunteers/team/<pk>/change/",
                 "/admin/volunteers/team/<pk>/delete/", "/admin/volunteers/team/#action",
                 "/admin/eldercare/visit/add/", "/admin/core/division/<pk>/change/", "/admin/password_change/"):
        assert seen in kinds, seen
    assert any("?" in url for url in pages if url.startswith("/admin/volunteers/team/?"))
    if persona == "adam":  # and the bureau's own screens, history included
        for seen in ("/admin/volunteers/team/<pk>/history/", "/admin/volunteers/team/<pk>/history/<pk>/",
                     "/admin/axes/accessattempt/", "/admin/reporting/validationrule/<pk>/change/",
                     "/admin/compliance/target/<pk>/change/", "/admin/core/user/<pk>/change/"):
            assert seen in kinds, seen
    else:
        assert not any(url.startswith(("/admin/axes/", "/admin/core/user/")) for url in pages)
    assert problems(pages) == []
