"""The one table of figures, goals and results; printed and written as Markdown."""

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    figure: str
    value: str
    goal: str
    result: str  # "pass", "FAIL", "not available" or "—"


HEADERS = ("figure", "measured", "goal", "result")

#: What each public page costs and why it no longer grows (issue 21); the figures are in the table above.
WHY = [
    "Filters: the street <select> lists only the chosen district's streets (a link naming only a street "
    "gets its district filled in); a city with more than 60 districts types the district's name instead of "
    "listing them (`core.places`). At 40× the lists used to carry 6,000 streets and 400 districts (96 % of "
    "`/facilities/`' render, 300–500 kB); the choices are read with one plain query, not a PostgreSQL "
    "server-side cursor per <select>.",
    "Paging: `core.places.CappedPaginator` counts at most 1,001 rows (`COUNT(*)` of a `LIMIT`ed subquery) "
    "and pages over at most 1,000 (50 pages), saying so when more match: the count and the deepest "
    "`OFFSET` are bounded at any size (the last page at 40× took 475 ms, against 3 ms for page 1).",
    "`/eldercare/` is ordered by kind and code along a partial index (`facility_public_order`) instead of "
    "by the division's code, which sorted every operating facility of the city for each page.",
    "`/volunteers/`: the page's 20 teams are read first, then their hours of the last 12 months summed "
    "in one query over those teams' records only (`volunteers.selectors.with_recent_hours`); the old "
    "query summed the records of all 120,000 teams before the `LIMIT`.",
    "`/eldercare/nearest/`: boxes of 1.1, 4.4, 18 and 36 km around the community read from E7's grid "
    "index (`facility_care_grid`, one short index range per row of latitude) until one holds ten "
    "facilities inside the circle it encloses; the old view loaded all 39,000 centres into Python. The "
    "count of facilities without coordinates is an index-only count (`facility_care_unlocated`). The form "
    "is a district → street → community cascade instead of a <select> of every street.",
    "Invalidation (`core.caching`): a save bumps only the scopes it touches — its record's page, its "
    "street's and district's lists, its app's city-wide lists and the home page's counts — instead of one "
    "version for every public page. Names, the calendar and the lookup lists still retire everything. A "
    "kept page is good until the next moment an \"open now\" on it can change (the next opening or closing "
    "of a shown centre, the next minute for a list filtered by \"open now\", midnight at the latest) "
    "instead of one key per minute.",
    "Uncached render (issue 21's second round, profiled with cProfile in process on the 1× database): the "
    "cost was the render, not the data. The filter forms went through crispy-forms and Django's widget "
    "templates (a template per field, an include per <option> and per attribute: a third to a half of "
    "`/facilities/`); `core.public_lists.filter_fields` now writes them in one pass with `format_html`, the "
    "same labels, ids, options and selections. The district <select> and the \"type its name\" decision "
    "are one query (`core.places.listed_districts`, at most 61 rows) instead of a `COUNT` and a read. "
    "`get_kind_display` and a 十助's `__str__` hashed every lazy label of the closed list on each call "
    "(a translation lookup per choice per row): the labels are translated once per page "
    "(`choice_labels`). The rows read only the columns they show (`.only`), `/facilities/` no longer "
    "prefetches services it doesn't show, the words of each card are read once before the loop, the "
    "per-row includes of the badge and hours are inlined, and the three lists share one \"today\": "
    "`core.opening.special_day` (one calendar query) and `annotate_today`. Per uncached render at 1× "
    "(in process; Python function calls counted by cProfile, and CPU time `time.process_time`, median of "
    "15 on the loaded machine), before → after: `/facilities/` 72,800 → 39,700 calls, 31 → 15 ms, 7 → 5 "
    "queries; `/eldercare/` 114,100 → 54,100 calls, 21 → 15 ms, 7 → 6 queries; `/volunteers/` 84,400 → "
    "59,600 calls, 22 → 17 ms, 7 → 6 queries; `/eldercare/nearest/` 51,800 → 34,000 calls, 20 → 14 ms, "
    "9 → 8 queries. The pages' content is the same apart from whitespace and attribute order.",
    "Uncached render, third round (in process on the 1× database, `/tmp/prof/prof.py`-style: median of 40"
    " requests, three runs alternating with the previous code in the same minute, on a loaded 2-core "
    "machine; CPU time of the Python process): the rows of the three lists are built in one pass with "
    "`core.html` (`facilities.rows`, `eldercare.rows`, `volunteers.rows`: no template loop, include or "
    "`{% url %}` per row; a row's link from one `reverse` a page), the frame's links of `base.html` "
    "reversed once per process (`{% site_url %}`), a row's community, street and district names read as "
    "columns of the page's query instead of three Division records a row (annotated after the count, "
    "which stays free of their joins), the capped count sent from the compiled inner query "
    "(`core.places.capped_count`) instead of `QuerySet.count()`'s aggregation, the home page's headline "
    "sums as the same one SELECT without the ORM's aggregation, and words translated once a page instead "
    "of per row. Before → after, CPU ms: `/` 8.2 → 5.5, `/facilities/` 24.1 → 19.7, `?page=9999` 26.4 → "
    "20.3, `/facilities/<pk>/` 18.8 → 17.9, `/eldercare/` 33.7 → 24.9, `/eldercare/<pk>/` 19.3 → 16.8 (5 "
    "→ 4 queries), `/eldercare/nearest/` 24.9 → 20.3, `/volunteers/` 37.5 → 25.4, `/volunteers/<pk>/` "
    "17.7 → 15.8; the same HTML apart from one trailing space.",
    "The soak's one lost write in this run was a deadlock, not a lost save: a clerk's save of a community (its change view holds the row FOR UPDATE) and an import of that community's teams (its COMMIT checks the teams' foreign key with KEY SHARE) each waited for the other once `compliance.kept` locked the street; the admin answered 保存失败 with a redirect back to the change page, which the soak counted as a save. Fixed after this run: the admin's row lock and the kept figures' key lock are FOR NO KEY UPDATE (another save of the row still waits, a foreign-key check does not), and the soak counts only the redirect to the list as a save. `python -m bench soak` alone on the 1× database afterwards (60 s, 8 connections, kept figures on): 177 saves, 255 record writes by import, 0 writer errors, 0 lost, no deadlock in PostgreSQL's log.",
    "Kept board figures (issue 20; `compliance.kept`, measured with `bench/level_pages.py`-style requests in "
    "process on the 40× database, PostgreSQL, median of 5, for the kept month and for a month not kept, which "
    "is computed from the records as before): the whole area's board (400 districts) 2.4 s → 1.2 s, 14 → 7 "
    "queries — what remains is rendering its 4.3 MB page —; a district's board (15 streets) 424 → 74 ms, 15 "
    "→ 8 queries, of which 0.9 s had been its reporting row reading all 6,000 streets as records (now the "
    "streets under the board, as plain values). Rebuilding every key (`keep_figures`) takes 4.7 s at 40×. "
    "An admin save at 40× costs, kept against not kept, +15–18 ms for a centre, +10–12 ms for a worker "
    "and +70–80 ms for a day-care centre (E7 recomputes the 44 streets whose communities lie within 1 km "
    "of it in the generated city's dense grid). The street page went from 0.9–1.2 s to 0.64–0.79 s: its "
    "centre-area outlier rule (`reporting.rules`) compares against the whole city's median, now one grouped "
    "sum (0.29 s) instead of a correlated sum per community (0.63 s); that comparison still grows with the city.",
    "Boards, saves and the street page at 40×, third round (same-machine before/after with `python -m "
    "bench scale`, and interleaved 1×/40× rounds): a save's kept-figure refresh runs its grouped queries "
    "compiled once per chunk size with stand-in ids (`compliance/kept_keys.py`: compiling them took "
    "longer than running them), filters the divisions base on the table itself, refreshes only E7's "
    "columns of a moved facility's neighbours and writes no row that comes out the same — a day-care "
    "centre moved 300 m, kept − not kept, +151.7 → +25–35 ms on one machine; the city's centre-area "
    "median reads a count and the middle rows of `reporting.CommunityArea` (each community's area, city, "
    "households and ratio, kept by triggers) on an index by city and ratio — 110 → 11 ms, the street page "
    "307 → 202–236 ms on that machine; `scoping.division_q` on divisions themselves and the kept rows "
    "under a board read without a subquery of all 66,000 divisions; a board shows at most 20 children as "
    "columns (`?cols=N`; the 40× city's 99 districts were a 1 MB page, now 238 kB); a matrix's words are "
    "escaped once per language and a total pools exact ints and Decimals before one Fraction. That round's "
    "machine served the bare view at ~1,750 req/s (3,100–3,300 in the round before).",
    "Boards at 40×, fourth round: the whole area's and a province's boards (by city) add one roll-up per "
    "city (`KeptRollup.division`: a district or a city), not one per district, and read the mark and the "
    "few rows no roll-up adds as a `UNION ALL` on their indexes (one condition on the joined division "
    "scanned every kept row); a city's board reads the roll-ups of the districts shown and the city's "
    "own as one group for its total (`board.rows_and_total`), in one snapshot; a board shows 10 children "
    "a page (20 were 4,100 px of table at 1,366 px). Same machine, `python -m bench scale`: the 40× "
    "whole-area board 48.8 → 37.2 ms, the 40× city board 61.9 → 44.8 ms at the same 133 kB as 1×.",
    "Search (`/search/`) at 40×: each kind's query takes 0.5–0.7 s in PostgreSQL (the whole page 2.1 s) "
    "because a two-character word (社区) has no trigram, so the `pg_trgm` GIN indexes can't serve it and "
    "the OR over name, address, division names and services scans every row; the window count adds a "
    "count of every match. Not fixed here: it needs a kept, normalised search table (one row per record, "
    "its text and its character pairs, written on save and by a rebuild command for bulk writers) so that "
    "a two-character word is an index lookup. Tried and dropped: looking a long word up as a union of "
    "index lookups (name, address, divisions, services) — 2–5× faster at 1×, but at 40× PostgreSQL "
    "planned the union badly (one kind's query took minutes). The figures above are the true uncached ones; "
    "there is no result cache.",
    "Imports and boards, fifth round (issue 20; `bench_import --rows 70000`, a fresh database each run, same "
    "machine, before → after): the confirm writes a plan's rows as the plan keeps them — no model instance per "
    "row, no per-value conversion (`core.bulk.insert_values`/`update_values_where_version`, `prepared`), links as "
    "rows of values —; the preview writes the records later sheets refer to through `core.bulk` instead of "
    "`bulk_create`; a row's checks no longer run an import statement (`reporting.rules.settings_of_rules`) or a "
    "context-local lookup of today. Without kept figures: create 31.5 → 24.7 s (÷ openpyxl 4.18 → 3.73), update "
    "27.9 → 24.1 s (4.28 → 3.70). With them (a database that keeps the board's figures, as a deployment does): "
    "the kept figures' refresh was planned for the tables as they were before the load (empty): E7's check of "
    "1,656 new communities scanned every facility of a kind for each, 1.0 s instead of 20 ms once analysed; a "
    "load that adds more rows than a table's statistics know of now `ANALYZE`s it inside its transaction "
    "(`core.bulk.refresh_statistics`): the update's confirm 14.7 → 9.7 s. History rows and the codes taken "
    "since the preview are looked up with one JSON parameter per few thousand keys (`core.bulk.listed`), not 900 "
    "placeholders each. The one search's kept text of many records is read as plain values (two queries a "
    "thousand records, `core.search_text.Searchable` declaring each model's parts) instead of instances with "
    "their divisions and a prefetch of their services: the create's confirm 10.7 → 7.6 s, the update's 9.9 → "
    "7.4 s. With figures kept, same machine: create ÷ read 3.86, update 3.58 into an empty database; 3.85 and "
    "3.89 into the 40× city (× 1.03 and × 1.08 the empty one). Left: the text is still written by an UPDATE "
    "after the insert; into the 40× city the confirm is ~2.5 s longer (its kept figures' grouped queries).",
    "The whole area's board (`compliance.selectors.top`) finds where the tree's single province or city ends in "
    "two queries whatever the shape (the provinces and cities, then the parts with their root's parent for the "
    "breadcrumb): a province of one city (1×) cost two queries more than a province of four (40×).",
    "Uncached pages, fourth round (this run): the holiday calendar, the city's districts and the whole closed "
    "lists (services, care services, service fields) are kept in each process under the shared global version "
    "that any change of them bumps, now and on commit (`core.reference`): an uncached page no longer reads them "
    "and is never served them stale after a change commits. An unbound list's filter fields (the page most "
    "visitors land on) are built once per language under the same version "
    "(`core.public_lists.unbound_filter_fields`), and the frame's fixed parts (static links, header, footer) "
    "once per process per language and site settings (`{% kept %}`, `core.templatetags.layout`): the layout "
    "alone 1.26 → 0.66 ms in process. Then the ORM's compiling, which cost as much as PostgreSQL running the "
    "statements: the detail pages read their record (with its division's names as columns), its closed list "
    "and its ratings, and a list opened without filters (any page) its count, its rows and the page's services, "
    "fields and hours, through SQL compiled once a process with stand-in ids (`core.compiled.Prepared`, moved "
    "from the compliance app, which compiled its boards that way; `CappedPaginator(prepared_as=…)`); a filtered "
    "list is compiled as it comes. In process on the 1× database, median of 40, before → after: "
    "`/facilities/` ~6.5 → 3.9 ms (5 → 2 queries), `/eldercare/` 8.1 → 5.0 (5 → 3), `/volunteers/` 8.6 → 5.1, "
    "`/facilities/<pk>/` 6.4 → 3.4, `/eldercare/<pk>/` 5.7 → 3.4, `/volunteers/<pk>/` 5.5 → 3.6, the same HTML "
    "(apart from whitespace). That round left the last page, the one search, near me, the nearest search and "
    "`/api/hsds/services` each 2× from 10 %.",
    "Uncached pages, fifth round (this run), each measured in process against `/facilities/` in the same loop "
    "(`× n` = its time ÷ the list's, 1× database, median of 60): the nearest search reads the community, its "
    "district's streets, its street's communities, each grid box (with what the page shows of its candidates: "
    "no second fetch) and the count of unplaced facilities through SQL compiled once a process, with stand-ins "
    "for codes, box bounds and grid rows (`core.compiled.BOX_STAND_INS`): × 2.4 → × 1.25, 7 → 6 queries. Near "
    "me: a box query returns only its 12 nearest rows, ordered by the haversine term in the database (at 40× the "
    "1.5 km box holds ~220 centres and ~250 teams), with the cards' columns, compiled once per kind and step; a "
    "team's community and street as named columns, not two records a team: × 2.3 → × 1.45, 9 → 6 queries. The "
    "one search: each kind's query compiled once per shape (words, and closed-list values a word matches) with "
    "stand-in patterns escaped as `contains` escapes them: × 1.9 → × 1.25. The last page: a centre's and a "
    "team's community code kept in their own row by triggers, for every writer (`core.community_codes`), and "
    "the lists ordered on `(community_code, code) INCLUDE (id)`, an index-only scan (0.17 ms instead of a "
    "3.4 ms sort of every operating centre at 1×); the eldercare order index carries the ids too: "
    "`?page=9999` × 2.2 → × 1.3–1.4 at 1× and 40×. `/api/hsds/services`: a page read as rows "
    "(`opendata.rows`: a kind's slice one query with its divisions' columns, its services' pairs one more, "
    "compiled once a process for the unfiltered list; a summary reads only the columns it shows; stable ids in "
    "an LRU): × 2.7 → × 1.05 at 1×, × 1.25 at 40×, 3 → 2 queries, the same JSON byte for byte. Measured and "
    "left: PostgreSQL's planning is now most of each page's database time (0.6 ms warm for the list's "
    "four-relation join against 0.2 ms running it); psycopg's server-side binding with prepared statements "
    "cut 5–20 % of some pages in process, but server-side binding breaks `QuerySet.dates()` (a DISTINCT over "
    "a parameterised DATE_TRUNC: the holidays' migration test failed), so it stays off.",
    "Imports, sixth round (issue 20; `bench_import --rows 70000 --repeat 1` into fresh copies of the 40× city, "
    "same machine, before → after): a confirm's new records go in with their search text "
    "(`core.search_text.texts_of_new`: their divisions' and linked records' names in two queries), not read back "
    "and written again — a second version of every new row in every index of its table: the text's refresh "
    "1.79 → 0.43 s over the create and the update, create ÷ read 4.37 → 4.14. Where the rest goes at 40× "
    "(one run): preview 12.5 s (openpyxl's read 4.8 s of it, then every row's checks, spread over no one hot "
    "spot), confirm 7.8 s (inserts 2.1 s, history 1.7, links 1.0, the board's kept figures ~3 s).",
    "Not done: the home page's headline counts are still `COUNT`s over the whole city when its cache is "
    "cold (kept figures would need every bulk writer to keep them).",
    "Uncached pages, sixth round (issue 21; each page measured in process against `/facilities/` in the same "
    "loop, `× n` its time ÷ the list's, median of 40, and with gunicorn and wrk against the bare view): "
    "PostgreSQL's planning had become most of each page's database time, so the SQL compiled once a process "
    "(`core.compiled`) now runs as prepared statements on a server-binding cursor (`core.compiled.cursor`, "
    "`PREPARED_STATEMENTS`, on when connections are kept): parsed once per connection, still planned for each "
    "request's values (`plan_cache_mode=force_custom_plan`: the generic plan PostgreSQL would switch to after "
    "five runs read the whole table for the one search's words, 75 ms instead of 8 at 40×). Only this module's "
    "statements are prepared (the ORM's are not written for it: Django #20516, `QuerySet.dates()`), they are "
    "logged with their values like any query, and `compliance.timeline.as_of`, which shadows tables with "
    "temporary ones, runs them unprepared. 5–20 % of the list, detail, search and near-me pages in process. "
    "The nearest search counted the whole city's unplaced facilities (7,167 index entries at 40×, 3–5 ms); it "
    "now counts the community's district's (`facility_care_unlocated` by division: the district's ~165 divisions "
    "probed, the same at any size) and names the district; its district's streets and street's communities are "
    "one statement of two index-only reads by the community's ids (`division_district_parts`, "
    "`division_street_parts`), and its rows are written in one pass: × 1.34 → × 1.14 at 1×, × 1.27 → × 1.06 at "
    "40×, 6 → 5 and 5 → 4 queries. Near me: the kinds widen their box together and stop once enough of all of "
    "them lie within the radius (1×: 6 → 3 queries, × 1.45 → × 1.0), and once the kinds read so far (the fewest "
    "first) hold enough, the rest are read in the box of the last one's distance: over 150 random communities "
    "of the 40× city, 9.5 → 4.8 ms median for the places alone; the sample page × 1.41 → × 1.13. The one "
    "search's overview counts each kind to 100 (then 超过 100 个) and sends on to the kind's pages, which count "
    "to 1,000: counting a common word's 1,001 matches was 2 ms of a kind's query at 40× (× 1.2 → × 0.8). "
    "`/api/hsds/services`' totals are the kept per-street sums kept in the shared cache until a counted record "
    "changes (`portal.figures.kept_headline`, shared with the home page): the sum over 6,000 streets cost 0.9 ms "
    "at 40× (× 1.32 → × 1.08, 2 → 1 queries). A list opened without filters builds no filter set, form or "
    "queryset (`core.public_lists.Unfiltered`; `CappedPaginator` takes functions that build them, called only "
    "to compile): 0.8–1 ms of each list request. `core.compiled.as_instances` builds records without "
    "`Model.__init__`'s walk over every field: a page's 20 rows 0.24 → 0.02 ms. Every page's HTML and JSON "
    "is the same as before (diffed), apart from the nearest search's count sentence. Tried and dropped: the "
    "grid indexes carrying latitude and id so that a box is measured on the index alone (warm, the saved heap "
    "reads were paid back in planning the subquery), and a smaller first box for near me (1× then needed a "
    "second step).",
    "Uncached pages, seventh round (the run of 2026-12-06 09:18): the one search's statements (one per kind) planned each word's "
    "`LIKE` twice, in the list and again in its capped count, and planning was four fifths of each statement at "
    "40× (0.4–0.6 ms planned, 0.1 run; half of it estimating each `LIKE` against the column's histogram). Each "
    "kind is now one statement that writes the words once (`portal.search._first_found`): the first 101 records "
    "found, counted by a window, and the first five of those in the list's order (where more than 100 match, "
    "the overview says so and shows five of them; a kind's own pages are unchanged). Over 18 searches × 3 kinds "
    "at 40× (psql, median of 7, planning + running): 209 → 42 ms in all; 老 no longer walks the list's order "
    "through 33,000 day-care centres that can't match (88 → 0.6 ms). The sample search in process, against "
    "`/facilities/` in the same loop: × 1.33 → × 1.13 at 1×, 6.0 → 4.9 ms alone at 40×. Not fixed: PostgreSQL "
    "still reads a common word's first 101 by scanning the table (as the capped count did before), and where "
    "its matches lie together (the generator writes each kind in one block) a scan that starts elsewhere "
    "reads past the rest first (synchronized scans start where the last one was: 老 after other searches, "
    "up to 95 ms at 40×). Near me: a 1.5 km box of the 40× city held 75 eldercare facilities where the 1× "
    "city's held 2 (the generator puts 40× the places in the same area), and the box's rows were all read and "
    "measured: × 1.14 at 1× against × 1.40 at 40× in process, 9 % of the bare view at 40×. On PostgreSQL each "
    "kind's nearest are now read nearest first from a GiST index of places on the unit sphere (`cube`, "
    "`core.geo.sphere_distance`, `portal` migration 0006): the dozen nearest and 8 more, one query a kind at "
    "any density; the boxes still serve words, open now, a facility kind, SQLite, and places tied past what was "
    "read. The same places as the boxes at 150 random points at each scale; 2.81 → 2.06 ms median at 40×. A "
    "list opened without filters reads its count from the totals the portal keeps (`core.kept_figures.totals`): "
    "a statement of each request gone (0.3 ms at either size). And the one search's trigram indexes keep at most "
    "256 kB pending (`portal` migration 0007): after the last run's soak renamed 571 of the 1× city's teams, "
    "their 191 pending pages made PostgreSQL scan every team for each search (the 1× sample 9.4 → 6.0 ms once "
    "merged).",
    "Measuring, eighth round (this run): each public page is loaded three times, each run between two runs of "
    "the bare view, and its share is the median of the three (4-s runs instead of one 10-s run). A single run "
    "had swung a 10–15 % share by a quarter from one run to the next on this machine (`/volunteers/` 15 % → 10 "
    "% at 40× in one run, 14 % → 10 % at 1× for its detail page in the run before, while in process both cost "
    "the same at both sizes). In the first run this way (of `402963b`) a page's three rounds were within three "
    "points of each other, and every page's uncached share at 40× within ±10 % of its share at 1× (× 0.92–1.10). "
    "The one search and near me keep no page (`page_cached=False` in `bench/targets.py`, checked against their "
    "views' decorators by a test): they are judged with the uncached pages, and their rows among the kept pages "
    "are for reading. Pages the benchmark doesn't load, measured in process at 40× against 1× (median of 5, "
    "interleaved with `/facilities/`): a search's own page for a street's name (`/search/?q=解放街道201&kind=centre`, "
    "17 matches) walked the list's order past 119,983 centres that don't match (EXPLAIN: 170 ms), because "
    "PostgreSQL estimates a `LIKE` from the column's histogram and expected a thousand matches spread along the "
    "order. `CappedPaginator(among_found=True)` now reads the ids of the first 1,001 matches found (the same "
    "statement as the capped count, the trigram index's) and, when they are all there is, orders and cuts the "
    "page from those ids: 120 → 4.3 ms; the search's own pages and every filtered public list use it. The "
    "lists' name box (`/facilities/?q=`, `/eldercare/?q=`) was an `icontains` of name or address, which no index "
    "answers: a word that matches nothing read every row, 63 and 62 ms at 40× for 和平 against 7 at 1×. It now "
    "reads the one search's kept text (`core.search_text.containing`: every word, folded, the division's names "
    "too): 9.6 and 10.0 ms. The nearest search (`/eldercare/nearest/`) reads its ten nearest first from the "
    "facilities' sphere index as near me does (`eldercare.selectors._nearest_first`: 18 rows, one statement at any "
    "density; E7's boxes only on SQLite and where a tie runs past what was read): the 1× city's sample needed "
    "four boxes, 5 → 4 queries and 4.2 → 3.4 ms in process, the same as at 40×. Noticed and not fixed: past the cap the page still walks the list's order, and "
    "where a word's matches all lie at its end it reads everything before them — 养老 matches the street "
    "centres and institutions by name (and whole kinds by label), which the generator names so and the kind-first "
    "order puts after 33,000 day-care centres: `/search/?q=养老&kind=facility` 7.6 ms at 1× and 70 ms at 40×, "
    "`/eldercare/?q=养老` 45 ms (33 before: the walk now tests the longer kept text). \"只看正在开放的\" at night, "
    "when nothing is open, reads every row (`/facilities/?open_now=on` 63 ms at 40×): no index answers the "
    "hours' text. And with PostgreSQL's default 128 MB of shared buffers the 40× tables are past the size where "
    "seq scans are synchronized, so the overview's first-found scan for 老 right after other searches of the "
    "same table starts where they stopped: 64 ms in that loop against 10 ms alone.",
    "Uncached pages, ninth round (this run): every connection planned each prepared statement for its values "
    "(`plan_cache_mode=force_custom_plan`, set for the one search), and planning had become most of a page's "
    "database time: a detail page's record with its three divisions' names took 0.66 ms a read in Django's "
    "connection against 0.16 ms with the plan kept, and a list's page statement planned in 0.62–0.67 ms for "
    "0.14–0.24 ms of running (EXPLAIN ANALYZE at 40×). The connection now leaves PostgreSQL its own `auto`: after "
    "five runs a statement keeps its generic plan when that is as good. The code's constants (`status = "
    "'operating'`, a kind) are written into the prepared SQL (`core.compiled.written_in`): bound as parameters "
    "they read as \"any status\", and the list's generic plan sorted every operating centre instead of reading "
    "its partial order index, so PostgreSQL kept planning it. The statements whose plan depends on the values — "
    "the one search's words, a box's bounds — stay planned for each run (`PLANNED_PER_RUN`: `SET LOCAL "
    "plan_cache_mode` sent in the same pipeline, one round trip); a test checks that the search's is never "
    "generic. In process at 40×, each page's time ÷ the layout-only page's in the same loop (two alternating "
    "rounds of the commit before and this one, medians of 150): detail pages × 5.0–5.6 → × 3.9–4.5, lists × "
    "4.7–5.5 → × 3.8–5.0, the last page × 4.9 → × 3.7–3.8, the nearest search × 6.2–6.5 → × 4.9, open data "
    "× 6.3–6.4 → × 5.1–5.4, near me × 6.4 → × 5.1–5.2, the one search unchanged (× 5.8–6.1 → × 5.6–5.8). "
    "PostgreSQL's CPU time a request (its backend's, over 200 requests in process at 40×, two rounds each): "
    "detail pages 0.8–1.2 → 0.25–0.45 ms, lists 0.65–1.5 → 0.2–0.75 ms, near me 1.5–1.75 → 0.75–0.85 ms, the "
    "nearest search 1.5–1.65 → 0.6–0.65 ms, open data 1.3–1.35 → 0.3–0.6 ms; the one search 1.9–2.0 → 1.55–1.95 "
    "ms. The one search stays the dearest page: its three statements are planned for their words (0.35–0.5 ms "
    "each at 40×, mostly estimating each `LIKE` from the column's histogram, against 0.1–0.25 ms of running). "
    "They now go in one pipeline (`core.compiled.records_together`: one round trip, 12 → 6 waits on the socket a "
    "request); against the commit before, with gunicorn and wrk alternating, its share of the bare view was "
    "within the machine's noise (medians 10.3 % vs 10.8 %). Tried and dropped: running them as unnamed "
    "server-bound statements (planned for their values without `SET LOCAL`): the same CPU in process, 11.2 % "
    "against 12.2 % under wrk.",
]


def _width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text, width):
    return text + " " * (width - _width(text))


def table(rows):
    """A plain-text table for the terminal (CJK characters count as two columns)."""
    cells = [HEADERS, *[(row.figure, row.value, row.goal, row.result) for row in rows]]
    widths = [max(_width(line[i]) for line in cells) for i in range(len(HEADERS))]
    lines = [" | ".join(_pad(cell, width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in cells]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def reliability_rows(reliability):
    """Rows for the hostile-workbook set and the soak (issue 19)."""
    rows = []
    cases = reliability.get("hostile")
    if cases:
        matched = sum(case["matched"] for case in cases)
        refusals = [case for case in cases if case["expect"] == "refused"]
        slowest = max(refusals, key=lambda case: case["seconds"])
        largest = max(refusals, key=lambda case: case["peak_mb"])
        loudest = max(cases, key=lambda case: case["output_kb"])
        read = max((case for case in cases if case["expect"] != "refused"), key=lambda case: case["seconds"])
        rows += [
            Row("hostile workbooks: outcome as expected", f"{matched} of {len(cases)}", "all",
                "pass" if matched == len(cases) else "FAIL"),
            Row("hostile workbooks: slowest refusal", f"{slowest['seconds']:.1f} s ({slowest['name']})", "≤ 60 s",
                "pass" if slowest["seconds"] <= 60 else "FAIL"),
            Row("hostile workbooks: largest refusal (peak RSS)", f"{largest['peak_mb']:.0f} MB ({largest['name']})",
                "≤ 600 MB", "pass" if largest["peak_mb"] <= 600 else "FAIL"),
            Row("hostile workbooks: most output", f"{loudest['output_kb']:.1f} kB ({loudest['name']})", "≤ 200 kB",
                "pass" if loudest["output_kb"] <= 200 else "FAIL"),
            Row("hostile workbooks: slowest read in full (accepted or rejected)",
                f"{read['seconds']:.1f} s, {read['peak_mb']:.0f} MB ({read['name']})",
                "(a background task above EXCHANGE_MAX_INLINE_CELLS)", "—"),
        ]
    soak = reliability.get("soak")
    if soak:
        rows += [
            Row(f"soak: public reads ({soak['seconds']} s, {soak['connections']} connections, cache directory "
                f"read-only for the middle third: {soak.get('read_only', '?')})", f"{soak['reads']} reads, {soak['read_rps']} req/s, "
                f"{soak['read_errors']} errors", "0 errors", "pass" if soak["read_errors"] == 0 else "FAIL"),
            Row("soak: admin saves and imports", f"{soak['admin_saves']} saves, {soak['imports']} record writes by import, "
                f"{soak['writer_error_count']} errors", "0 errors", "pass" if soak["writer_error_count"] == 0 else "FAIL"),
            Row("soak: lost writes (database and history)", str(soak["lost"]), "0", "pass" if soak["lost"] == 0 else "FAIL"),
        ]
    return rows


def reliability_markdown(reliability):
    """How the hostile-workbook set and the soak were measured, and the per-case figures (Markdown lines)."""
    out = []
    if reliability.get("hostile"):
        out += [
            "- Hostile workbooks (`bench/hostile.py`): each case written to a file and imported with "
            "`manage.py import_workbook FILE --dry-run` in a fresh process on an empty migrated database, "
            "with the real limits; wall time (process start included), the child's own peak memory (`VmHWM`, `bench/peak.py`), and everything it printed.",
            "", "| case | expected | as expected | file kB | s | peak MB | output kB |", "|---|---|---|---|---|---|---|",
        ]
        out += [f"| {case['name']} | {case['expect']} | {'yes' if case['matched'] else '**no**'} | {case['size_kb']} | "
                f"{case['seconds']} | {case['peak_mb']} | {case['output_kb']} |" for case in reliability["hostile"]]
        out.append("")
    if reliability.get("soak"):
        soak = reliability["soak"]
        out += [
            "- Soak (`bench/soak.py`): gunicorn (2 workers) on the 1× city; wrk rotating `/`, `/facilities/`, "
            "`/eldercare/`, `/volunteers/`; meanwhile admin saves of communities and imports of volunteer teams "
            "(upload → confirm) through the real views in the harness's process; the cache directory made "
            f"read-only ({soak.get('read_only')}; probe: {soak.get('read_only_probe')}) for the middle third. "
            f"Cache failures logged by the server: {soak.get('cache_errors_logged')} lines; tracebacks in its log: "
            f"{soak.get('server_errors_logged')}.",
        ]
    return out


def _md(text):
    return str(text).replace("|", "\\|")


def markdown(rows, context):
    machine = context["machine"]
    out = [
        "# Performance benchmark",
        "",
        "Written by `make bench` (`python -m bench`); do not edit by hand — run it again.",
        "",
        f"- Date: {context['date']}",
        f"- Command: `{context['command']}`",
        "- Machine: " + ", ".join(f"{key} {value}" for key, value in machine.items()),
        f"- Load: {context['load']}",
        "- Settings: production (`DEBUG=0`, generated `SECRET_KEY`, `ALLOWED_HOSTS=127.0.0.1`, "
        "`SECURE_SSL_REDIRECT=0`), static files by whitenoise after `collectstatic`, PostgreSQL on 127.0.0.1",
        "",
        "## Results",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|---|---|---|---|",
    ]
    for row in rows:
        out.append(f"| {_md(row.figure)} | {_md(row.value)} | {_md(row.goal)} | **{row.result}** |")
    out += ["", "## Data generated", ""]
    if context["generated"]:
        out.append("| scale | " + " | ".join(next(iter(context["generated"].values()))["counts"]) + " | migrate s | fill s |")
        out.append("|---" * (len(next(iter(context["generated"].values()))["counts"]) + 3) + "|")
        for scale, data in context["generated"].items():
            values = " | ".join(f"{value:,}" for value in data["counts"].values())
            out.append(f"| {scale:g}× | {values} | {data['migrate_seconds']} | {data['populate_seconds']} |")
    else:
        out.append("Reused the databases of an earlier run (`--skip-generate`).")
    out += ["", "## Time taken", ""]
    out += [f"- {phase}: {seconds:.0f} s" for phase, seconds in context["phases"].items()]
    out += [
        "",
        "## How it is measured",
        "",
        "- Public pages: each page's requests/s divided by the bare Django view `/healthz` (no database, no "
        "template) served by the same gunicorn, measured just before and just after that page (the mean of "
        "the two is its 100 %: the machine's speed drifts over minutes). Each page is measured in three such "
        "rounds (page, bare, page, bare, page, bare) and its share is the median of the three; the row gives "
        "the lowest and highest round (one 10-s run per page swung a 10–15 % share by a quarter from one run "
        "to the next on this 2-core machine, where wrk, gunicorn and PostgreSQL share the cores). Goal ≥ 50 %, "
        "for the pages whose view keeps them: the one search and near me keep none (what a resident types and "
        "where they stand differ from one visitor to the next), so their rows there are for reading and they "
        "are judged with the uncached pages (`page_cached` in `bench/targets.py`, checked against the views by "
        "`tests/bench/test_harness.py`). The pages measured are "
        "listed in `bench/targets.py`; a page whose "
        "URL does not exist yet is reported as not available.",
        "- `/compliance/`: rendered in-process with Django's test client logged in as a reviewer, the cache "
        "cleared before every request (uncached); median of 15 runs after one warm-up; queries counted "
        "with `CaptureQueriesContext`; at 1× and 4× data.",
        "- Open data: `/api/hsds/services?per_page=50` is one of the public pages above (wrk, against the bare "
        "view; the per-client rate limit is raised for the run, its counting still happens). Then, in-process and "
        "uncached (the per-process response cache cleared before each request): median render time and query "
        "count for per_page 10, 50, 200 and 1000 at 1× and 4×; the query count must stay within its bound (a count per "
        "kind, a fetch and a prefetch for each of the three kinds a page can span) whatever per_page is.",
        "- Boards, drill-downs and the street page (issue 20): `python -m bench scale`, in-process with every "
        "cache off, at 1× and the big scale, then twice more at each scale alternating (1×, big, 1×, big), the "
        "boards and pages only: each page's figure is the median of its three rounds' medians (a ratio of two "
        "times taken minutes apart measured the machine's drift as much as the data's).",
        "- Workbook import: `manage.py bench_import` from the data-exchange issue, run on an empty database; "
        "its own ratio (full import ÷ openpyxl reading the same workbook), goal ≤ 4. Then issue 20's "
        "`bench_import --rows 70000` (best of 2, creating then updating, the preview and the confirm of each) on a "
        "fresh empty database that keeps the board's figures (`keep_figures` first, as a deployment does: the "
        "import then updates them in its transaction), with the import's peak memory (tracemalloc, goal < 500 MB), "
        "and on a fresh copy of the big city's database (which keeps them): each ratio ≤ 4, and each import into the big city at most 1.2× the same import "
        "into the empty one.",
        "- Uncached: the same gunicorn with no page kept (`BENCH_UNCACHED=pages`: `PUBLIC_PAGE_CACHE=0`, every "
        "request renders the page as right after a save retired it, and the per-process page and response "
        "caches are Django's dummy backend), the shared cache as in production (the versions each render "
        "reads, and the reference data they guard, `core.reference`) — what a resident meets when a save has "
        "just retired the page. (Until this round the shared cache was off too, which is a Redis outage, not "
        "a save: a save bumps versions, it doesn't empty the cache.) Goal ≥ 10 % of the bare view at both "
        "scales, the share at the big scale within ±30 % of the share at 1×. Queries and bytes: the same pages "
        "rendered in-process by Django's test client the same way (`python -m bench pages`): at the big scale "
        "no more queries than at 1× and at most 1.5× the bytes.",
        "- Under saves: `python -m bench saves` saves a random centre, eldercare facility or volunteer team "
        "of the city in turn (through the model, as the admin does: signals, history row, its own "
        "transaction), 5 a second for 20 s, in its own process on the same machine, while wrk loads the "
        "page; compared with the same page loaded quietly for 20 s just before. Goal ≥ 50 %.",
        "",
        "## Why the public pages no longer grow with the city",
        "",
        *[f"- {line}" for line in WHY],
    ]
    out += reliability_markdown(context.get("reliability") or {})
    if context.get("bench_import") and context["bench_import"].get("output"):
        out += ["", "`bench_import` printed:", "", "```", context["bench_import"]["output"], "```"]
        for where, run in (context["bench_import"].get("province") or {}).items():
            if run.get("output"):
                title = "an empty database" if where == "empty" else "the big city's database"
                out += ["", f"`bench_import --rows 70000` into {title} printed:", "", "```", run["output"], "```"]
    return "\n".join(out) + "\n"
