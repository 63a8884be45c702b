"""What the benchmark measures: the one list to extend when a page is added.

A target names its page by URL name (``reverse``) and, for a detail page, the
model whose sample object it shows. A target whose URL name does not exist yet,
or whose URL answers 404, is reported as "not available" instead of failing the
run, so the harness can measure whatever the branch has.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    label: str
    url_name: str
    detail_of: str = ""  # "app_label.Model": reverse(url_name) for a sample object of it
    baseline: bool = False
    query: str = ""  # appended to the URL: "page=9999" (the last page), "community={community}" (a sample's code)
    near_sample: bool = False  # append the lat/lon of a sample located community (near me)
    reference: bool = False  # reported for reading, not judged: the layout-only page (bench/urls.py)
    # False: the view keeps no page (``core.caching.cache_public_page``), so the page-cache goal doesn't apply;
    # it is judged with the uncached pages only (a test checks this against the view).
    page_cached: bool = True


# The bare Django view: the 100 % every public page is compared with.
BASELINE = Target("裸 Django 视图", "healthz", baseline=True)

# Public pages (anonymous, read-mostly): throughput goal ≥ 50 % of BASELINE.
TARGETS = [
    Target("首页", "home"),
    Target("综合服务设施列表", "facilities:list"),
    Target("综合服务设施列表末页", "facilities:list", query="page=9999"),
    Target("综合服务设施详情", "facilities:detail", detail_of="facilities.Centre"),
    Target("养老服务设施列表", "eldercare:list"),
    Target("养老服务设施详情", "eldercare:detail", detail_of="eldercare.Facility"),
    Target("离我最近的养老服务", "eldercare:nearest", query="community={community}"),
    Target("志愿服务队列表", "volunteers:list"),
    Target("志愿服务队详情", "volunteers:detail", detail_of="volunteers.Team"),
    Target("开放数据 HSDS 服务列表", "opendata:services", query="per_page=50"),
    # Residents' one search and near me (issue 16): not page-cached, so every request is a full render: what
    # a resident types or where they stand differs from one visitor to the next, and keeping each would write
    # a page per request that nobody asks for again.
    Target("居民搜索（两个词）", "portal:search", query="q=%E7%A4%BE%E5%8C%BA%20%E6%97%A5%E9%97%B4%E7%85%A7%E6%96%99",
           page_cached=False),
    Target("附近的服务（定位）", "portal:near", near_sample=True, page_cached=False),
    # Not a page of the site: its layout alone, no query (bench/urls.py). Whatever a public page adds, it can't go
    # past this share of the bare view, cached or not.
    Target("仅站点版式（无查询、无内容）", "bench_layout", reference=True),
]

# Measured under a bounded stream of clerks' saves (SAVES_PER_SECOND for SAVES_SECONDS, loopback).
UNDER_SAVES = ["facilities:list", "eldercare:list"]
SAVES_PER_SECOND = 5
SAVES_SECONDS = 20
# The open-data list measured in-process too (uncached): its query count must not grow with per_page.
OPENDATA_SERVICES = "opendata:services"
OPENDATA_PER_PAGE = (10, 50, 200, 1000)
# A count per kind (3), a fetch and a prefetch for each kind the page spans (at most 3 × 2), the holiday
# calendar: whatever per_page and the data size are.
OPENDATA_MAX_QUERIES = 10

# Logged-in page measured in-process (uncached render time and query count at 1× and 4×).
COMPLIANCE = Target("达标审查", "compliance:matrix")

THROUGHPUT_GOAL = 0.50  # page requests/s ÷ bare-view requests/s, same server, same run (page cache on)
UNCACHED_GOAL = 0.10  # the same with every cache off (what residents meet right after a save)
SCALE_RATIO_TOLERANCE = 0.30  # uncached share at the big scale within ±30 % of the share at 1×
SIZE_GOAL = 1.5  # page bytes at the big scale ÷ bytes at 1×
SAVES_GOAL = 0.50  # throughput under the saves ÷ quiet throughput measured just before
COMPLIANCE_MS_GOAL = 100.0  # uncached render at 1×
SCALING_GOAL = 4.0  # 4× data: at most 4× the time

# Province scale (issue 20), in-process at 1× and the big scale (``bench.scale``).
BOARD_MS_GOAL = 100.0  # the board at every level, uncached, at every scale
BOARD_RATIO_GOAL = 1.5  # the board's time at the big scale ÷ at 1×, same level
DRILL_MS_GOAL = 150.0  # a drill-down and the street page at the big scale
FORM_MS_GOAL = 200.0  # a bureau administrator's change form at the big scale
SAVE_ADDED_MS_GOAL = 30.0  # what keeping the board's figures adds to a save at the big scale
