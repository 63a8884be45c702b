"""Persona × URL → status, for every URL of the portal and every admin page.

The table is written out by hand: it says what each persona *should* get, not what the code happens to do.
Columns: anonymous resident, alice (clerk of 向阳街道 = street A), bob (clerk of 南山街道 = street B),
rita (bureau reviewer), adam (bureau administrator). ``{centre_a}`` etc. are records of the module's world
(``tests/security/world.py``); ``*_h`` is a history row id.

Adding a URL: append a row ``(method, url, (anonymous, alice, bob, rita, adam))`` — or, for a POST,
``(method, url, statuses, data)``. ``test_every_url_pattern_has_a_row`` fails until every pattern has one.

Anonymous 302s must lead to a login page, except the rows in ``NOT_TO_LOGIN``. Every denied POST (anonymous,
403, 404, 405) must leave the database exactly as it was.
"""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve
from openpyxl import load_workbook

from opendata.taxonomy import TEN_HELP_TERMS, TEN_HELPS
from tests.security.world import ALICE, ANON, PERSONAS, World, sign_in

GET, POST = "GET", "POST"

MATRIX = [
    # method  url                                                     anon alice bob  rita adam
    # --- public site ---------------------------------------------------------------------------------
    (GET,  "/",                                                       (200, 200, 200, 200, 200)),
    (GET,  "/sitemap.xml",                                            (200, 200, 200, 200, 200)),
    (GET,  "/robots.txt",                                             (200, 200, 200, 200, 200)),
    (GET,  "/healthz",                                                (200, 200, 200, 200, 200)),
    (GET,  "/readyz",                                                 (200, 200, 200, 200, 200)),
    # --- open data (HSDS 3.0): public and read-only ---------------------------------------------------
    (GET,  "/open-data/",                                             (200, 200, 200, 200, 200)),
    (GET,  "/api/hsds/",                                              (200, 200, 200, 200, 200)),
    (GET,  "/api/hsds/services",                                      (200, 200, 200, 200, 200)),
    (POST, "/api/hsds/services",                                      (405, 405, 405, 405, 405), {}),
    (GET,  "/api/hsds/services/{centre_a_hsds}",                      (200, 200, 200, 200, 200)),
    (GET,  "/api/hsds/service_at_locations",                          (200, 200, 200, 200, 200)),
    (GET,  "/api/hsds/service_at_locations/{centre_b_hsds_sal}",      (200, 200, 200, 200, 200)),
    (GET,  "/api/hsds/organizations",                                 (200, 200, 200, 200, 200)),
    (GET,  "/api/hsds/organizations/{street_a_hsds}",                 (200, 200, 200, 200, 200)),
    (GET,  "/api/hsds/taxonomies",                                    (200, 200, 200, 200, 200)),
    (GET,  f"/api/hsds/taxonomies/{TEN_HELPS.id}",                    (200, 200, 200, 200, 200)),
    (GET,  "/api/hsds/taxonomy_terms",                                (200, 200, 200, 200, 200)),
    (GET,  f"/api/hsds/taxonomy_terms/{TEN_HELP_TERMS['meals'].id}",  (200, 200, 200, 200, 200)),
    (GET,  "/api/hsds/datapackage.zip",                               (200, 200, 200, 200, 200)),
    (GET,  "/accounts/login/",                                        (200, 200, 200, 200, 200)),
    (GET,  "/accounts/logout/",                                       (405, 405, 405, 405, 405)),
    (POST, "/accounts/logout/",                                       (302, 302, 302, 302, 302)),
    # --- data exchange (workbook): clerks and administrators import; reviewers export only -----------
    (GET,  "/exchange/",                                              (302, 200, 200, 403, 200)),
    (POST, "/exchange/",                                              (302, 200, 200, 403, 200), {}),
    (GET,  "/exchange/confirm/",                                      (302, 405, 405, 405, 405)),
    (POST, "/exchange/confirm/",                                      (302, 302, 302, 403, 302), {"token": "0" * 64}),
    (GET,  "/exchange/annotated/0000000000000000000000000000000000000000000000000000000000000000/",                                    (302, 404, 404, 403, 404)),
    (GET,  "/exchange/export/",                                       (302, 200, 200, 200, 200)),
    (GET,  "/exchange/template/",                                     (302, 200, 200, 200, 200)),
    (GET,  "/exchange/jobs/00000000-0000-0000-0000-000000000000/",    (302, 404, 404, 404, 404)),
    (POST, "/i18n/setlang/",                                          (302, 302, 302, 302, 302), {"language": "en", "next": "/"}),
    (GET,  "/facilities/",                                            (200, 200, 200, 200, 200)),
    (GET,  "/facilities/{centre_a}/",                                 (200, 200, 200, 200, 200)),
    (GET,  "/facilities/{centre_b}/",                                 (200, 200, 200, 200, 200)),
    (GET,  "/eldercare/",                                             (200, 200, 200, 200, 200)),
    (GET,  "/eldercare/{facility_a}/",                                (200, 200, 200, 200, 200)),
    (GET,  "/eldercare/{facility_b}/",                                (200, 200, 200, 200, 200)),
    (GET,  "/eldercare/{street_centre_a}/",                           (200, 200, 200, 200, 200)),
    (GET,  "/eldercare/{street_centre_b}/",                           (200, 200, 200, 200, 200)),
    (GET,  "/eldercare/{institution_a}/",                             (200, 200, 200, 200, 200)),
    (GET,  "/eldercare/{institution_b}/",                             (200, 200, 200, 200, 200)),
    (GET,  "/eldercare/nearest/",                                     (200, 200, 200, 200, 200)),
    (GET,  "/volunteers/",                                            (200, 200, 200, 200, 200)),
    (GET,  "/volunteers/{team_a}/",                                   (200, 200, 200, 200, 200)),
    (GET,  "/volunteers/{team_b}/",                                   (200, 200, 200, 200, 200)),
    # --- residents: one search, near me, report an error, 好差评 (portal) --------------------------------
    (GET,  "/search/?q=社区",                                         (200, 200, 200, 200, 200)),
    (GET,  "/near/?place=建设",                                       (200, 200, 200, 200, 200)),
    (GET,  "/near/places.json?q=建设",                                (200, 200, 200, 200, 200)),
    (GET,  "/report/facility/{facility_a}/",                          (200, 200, 200, 200, 200)),
    (GET,  "/report/elder/{elder_a}/",                                (404, 404, 404, 404, 404)),
    (POST, "/report/centre/{centre_b}/",                              (200, 200, 200, 200, 200), {"topic": "phone"}),
    (GET,  "/rate/team/{team_a}/",                                    (200, 200, 200, 200, 200)),
    (POST, "/rate/facility/{facility_b}/",                            (200, 200, 200, 200, 200), {"score": "4"}),
    (GET,  "/workspace/reports/",                                     (302, 200, 200, 200, 200)),
    (GET,  "/workspace/reports/{report_a}/close/",                    (302, 405, 405, 405, 405)),
    (POST, "/workspace/reports/{report_a}/close/",                    (302, 302, 404, 403, 302)),
    (POST, "/workspace/reports/{report_b}/close/",                    (302, 404, 302, 403, 302)),
    (GET,  "/workspace/ratings/",                                     (302, 200, 200, 200, 200)),
    (GET,  "/workspace/ratings/{rating_a}/review/",                   (302, 405, 405, 405, 405)),
    (POST, "/workspace/ratings/{rating_a}/review/",                   (302, 302, 404, 302, 302), {"decision": "approve"}),
    (POST, "/workspace/ratings/{rating_b}/review/",                   (302, 404, 302, 302, 302), {"decision": "reject"}),
    # --- signed-in pages -----------------------------------------------------------------------------
    (GET,  "/workspace/",                                             (302, 200, 200, 200, 200)),
    (GET,  "/eldercare/visits/",                                      (302, 200, 200, 200, 200)),
    (GET,  "/eldercare/visits/{elder_a}/record/",                     (302, 405, 405, 405, 405)),
    (POST, "/eldercare/visits/{elder_a}/record/",                     (302, 302, 404, 403, 302), {"method": "phone"}),
    (POST, "/eldercare/visits/{elder_b}/record/",                     (302, 404, 302, 403, 302), {"method": "phone"}),
    (GET,  "/eldercare/visits/{elder_a}/phone/",                      (302, 405, 405, 405, 405)),
    (POST, "/eldercare/visits/{elder_a}/phone/",                      (302, 200, 404, 403, 200)),
    (POST, "/eldercare/visits/{elder_b}/phone/",                      (302, 404, 200, 403, 200)),
    (GET,  "/volunteers/deadlines/",                                  (302, 200, 200, 200, 200)),
    # --- compliance ------------------------------------------------------------------------------------
    (GET,  "/compliance/",                                            (302, 200, 200, 200, 200)),
    (GET,  "/compliance/export.xlsx",                                 (302, 200, 200, 200, 200)),
    (GET,  "/compliance/indicator/F1/{street_a_code}/",               (302, 200, 404, 200, 200)),
    (GET,  "/compliance/indicator/F1/{street_b_code}/",               (302, 404, 200, 200, 200)),
    (GET,  "/compliance/indicator/F1/{district_code}/",               (302, 404, 404, 200, 200)),
    (GET,  "/compliance/indicator/X9/{street_a_code}/",               (302, 404, 404, 404, 404)),
    (GET,  "/compliance/street/{street_a_code}/",                     (302, 200, 404, 200, 200)),
    (GET,  "/compliance/street/{street_b_code}/",                     (302, 404, 200, 200, 200)),
    # the free-text returns of before the reporting cycle: read-only (returns are made on a period)
    (GET,  "/compliance/corrections/",                                (302, 200, 200, 200, 200)),
    (GET,  "/compliance/snapshots/",                                  (302, 403, 403, 200, 200)),
    (POST, "/compliance/snapshots/",                                  (302, 403, 403, 302, 302), {"name": "新快照", "month": "2025-01"}),
    (GET,  "/compliance/snapshots/{snapshot}/",                       (302, 403, 403, 200, 200)),
    # the plan's timeline: city-wide trends, comparisons, months, reports and their jobs are the bureau's
    (GET,  "/compliance/trend/F1/",                                   (302, 403, 403, 200, 200)),
    (GET,  "/compliance/trend/X9/",                                   (302, 403, 403, 404, 404)),
    (GET,  "/compliance/compare/?a=snapshot:{snapshot}&b=today",      (302, 403, 403, 200, 200)),
    (GET,  "/compliance/months/",                                     (302, 403, 403, 200, 200)),
    (POST, "/compliance/months/",                                     (302, 403, 403, 200, 200), {"first": "2025-02", "last": "2025-01"}),
    (GET,  "/compliance/reports/",                                    (302, 403, 403, 200, 200)),
    (GET,  "/compliance/reports/?year=2023&month=2025-01",            (302, 403, 403, 200, 200)),
    (GET,  "/compliance/reports/?year=2023&district={district_code}&month=2025-01",
                                                                      (302, 403, 403, 200, 200)),
    (GET,  "/compliance/reports/start/",                              (302, 405, 405, 405, 405)),
    (POST, "/compliance/reports/start/",                              (302, 403, 403, 404, 404), {"year": "2024"}),
    (GET,  "/compliance/jobs/{job}/",                                 (302, 403, 403, 200, 200)),
    (GET,  "/compliance/jobs/{job}/download/",                        (302, 403, 403, 200, 200)),
    # --- the reporting cycle (dora, the district reviewer: test_district_reviewer_matrix.py) -------------
    (GET,  "/reporting/",                                             (302, 302, 302, 200, 200)),
    (GET,  "/reporting/completeness/",                                (302, 404, 404, 200, 200)),
    (GET,  "/reporting/{street_a_code}/2025-06/",                     (302, 200, 404, 200, 200)),
    (GET,  "/reporting/{street_b_code}/2025-06/",                     (302, 404, 200, 200, 200)),
    (GET,  "/reporting/{street_a_code}/2025-06/approve/",             (302, 405, 405, 405, 405)),
    (POST, "/reporting/{street_b_code}/2025-06/approve/",             (302, 404, 403, 403, 403)),
    (POST, "/reporting/{street_b_code}/2025-06/accept/",              (302, 404, 403, 302, 302)),
    (POST, "/reporting/{street_a_code}/2025-06/submit/",              (302, 302, 404, 403, 403)),
    (GET,  "/reporting/returns/{returnitem_a}/fix/",                  (302, 405, 405, 405, 405)),
    (POST, "/reporting/returns/{returnitem_a}/fix/",                  (302, 302, 404, 403, 403), {"note": "已改"}),
    (POST, "/reporting/returns/{returnitem_b}/fix/",                  (302, 404, 302, 403, 403), {"note": "已改"}),
    (GET,  "/reporting/returns/{returnitem_a}/close/",                (302, 405, 405, 405, 405)),
    (POST, "/reporting/returns/{returnitem_a}/close/",                (302, 403, 404, 302, 302)),
    (GET,  "/admin/reporting/",                                       (302, 404, 404, 200, 200)),
    (GET,  "/admin/reporting/validationrule/",                        (302, 403, 403, 200, 200)),
    (GET,  "/admin/reporting/validationrule/add/",                    (302, 403, 403, 403, 403)),
    (GET,  "/admin/reporting/validationrule/{validationrule}/",       (302, 302, 302, 302, 302)),
    (GET,  "/admin/reporting/validationrule/{validationrule}/change/", (302, 403, 403, 200, 200)),
    (POST, "/admin/reporting/validationrule/{validationrule}/change/", (302, 403, 403, 403, 302), {"name": "x", "severity": "warning", "enabled": "on"}),
    (GET,  "/admin/reporting/validationrule/{validationrule}/history/", (302, 403, 403, 200, 200)),
    (GET,  "/admin/reporting/validationrule/{validationrule}/delete/", (302, 403, 403, 403, 403)),
    # --- admin site ------------------------------------------------------------------------------------
    (GET,  "/admin/",                                                 (302, 200, 200, 200, 200)),
    (GET,  "/admin/login/",                                           (200, 302, 302, 302, 302)),
    (GET,  "/admin/logout/",                                          (302, 405, 405, 405, 405)),
    (POST, "/admin/logout/",                                          (302, 302, 302, 302, 302)),
    (GET,  "/admin/password_change/",                                 (302, 200, 200, 200, 200)),
    (GET,  "/admin/password_change/done/",                            (302, 200, 200, 200, 200)),
    (GET,  "/admin/jsi18n/",                                          (302, 200, 200, 200, 200)),
    (GET,  "/admin/autocomplete/?app_label=facilities&model_name=centre&field_name=community&term=",
                                                                      (302, 200, 200, 200, 200)),
    (GET,  "/admin/autocomplete/?app_label=eldercare&model_name=visit&field_name=elder&term=",
                                                                      (302, 200, 200, 200, 200)),
    (GET,  "/admin/autocomplete/?app_label=eldercare&model_name=elderaccesslog&field_name=user&term=",
                                                                      (302, 403, 403, 200, 200)),
    (GET,  "/admin/r/{centre_ct}/{centre_b}/",                        (302, 404, 404, 404, 404)),
    (GET,  "/admin/core/",                                            (302, 200, 200, 200, 200)),
    (GET,  "/admin/compliance/",                                      (302, 404, 404, 200, 200)),
    (GET,  "/admin/auth/",                                            (302, 404, 404, 404, 404)),  # its one screen (groups) is not offered
    (GET,  "/admin/no-such-page/",                                    (302, 404, 404, 404, 404)),
    # --- admin: divisions (clerks correct their communities' figures; only adam adds or deletes) -------
    (GET,  "/admin/core/division/",                                   (302, 200, 200, 200, 200)),
    (GET,  "/admin/core/division/add/",                               (302, 403, 403, 403, 200)),
    (GET,  "/admin/core/division/{division_a}/",                      (302, 302, 302, 302, 302)),
    (GET,  "/admin/core/division/{division_a}/change/",               (302, 200, 404, 200, 200)),
    (GET,  "/admin/core/division/{division_b}/change/",               (302, 404, 200, 200, 200)),
    (POST, "/admin/core/division/{division_b}/change/",               (302, 404, 302, 403, 200), {"households": "7"}),
    (GET,  "/admin/core/division/{division_a}/history/",              (302, 403, 404, 200, 200)),
    (GET,  "/admin/core/division/{division_b}/history/",              (302, 404, 403, 200, 200)),
    (GET,  "/admin/core/division/{division_a}/history/{division_a_h}/", (302, 403, 404, 200, 200)),
    (GET,  "/admin/core/division/{division_b}/history/{division_b_h}/", (302, 404, 403, 200, 200)),
    (POST, "/admin/core/division/{division_b}/history/{division_b_h}/", (302, 404, 403, 403, 200), {"households": "7"}),
    (GET,  "/admin/core/division/{division_a}/delete/",               (302, 403, 404, 403, 200)),
    (GET,  "/admin/core/division/{division_b}/delete/",               (302, 404, 403, 403, 200)),
    (POST, "/admin/core/division/{division_b}/delete/",               (302, 404, 403, 403, 200), {"post": "yes"}),
    # --- admin: accounts, calendar, import batches (bureau only) ---------------------------------------
    (GET,  "/admin/core/user/",                                       (302, 403, 403, 200, 200)),
    (GET,  "/admin/core/user/add/",                                   (302, 403, 403, 403, 200)),
    (GET,  "/admin/core/user/{user_a}/",                              (302, 302, 302, 302, 302)),
    (GET,  "/admin/core/user/{user_a}/change/",                       (302, 403, 403, 200, 200)),
    (GET,  "/admin/core/user/{user_b}/change/",                       (302, 403, 403, 200, 200)),
    (POST, "/admin/core/user/{user_b}/change/",                       (302, 403, 403, 403, 200), {"username": "bob2"}),
    (GET,  "/admin/core/user/{user_a}/password/",                     (302, 403, 403, 403, 200)),
    (POST, "/admin/core/user/{user_b}/password/",                     (302, 403, 403, 403, 302), {"password1": "Xx-94k2-long", "password2": "Xx-94k2-long"}),
    (GET,  "/admin/core/user/{user_a}/history/",                      (302, 403, 403, 200, 200)),
    (GET,  "/admin/core/user/{user_a}/delete/",                       (302, 403, 403, 403, 200)),
    (GET,  "/admin/core/holiday/",                                    (302, 403, 403, 200, 200)),
    (GET,  "/admin/core/holiday/add/",                                (302, 403, 403, 403, 200)),
    (GET,  "/admin/core/holiday/{holiday}/",                          (302, 302, 302, 302, 302)),
    (GET,  "/admin/core/holiday/{holiday}/change/",                   (302, 403, 403, 200, 200)),
    (GET,  "/admin/core/holiday/{holiday}/history/",                  (302, 403, 403, 200, 200)),
    (GET,  "/admin/core/holiday/{holiday}/delete/",                   (302, 403, 403, 403, 200)),
    (POST, "/admin/core/holiday/{holiday}/delete/",                   (302, 403, 403, 403, 302), {"post": "yes"}),
    (GET,  "/admin/core/importbatch/",                                (302, 403, 403, 200, 200)),
    (GET,  "/admin/core/importbatch/add/",                            (302, 403, 403, 403, 403)),
    (GET,  "/admin/core/importbatch/{importbatch}/",                  (302, 302, 302, 302, 302)),
    (GET,  "/admin/core/importbatch/{importbatch}/change/",           (302, 403, 403, 200, 200)),
    (GET,  "/admin/core/importbatch/{importbatch}/history/",          (302, 403, 403, 200, 200)),
    (GET,  "/admin/core/importbatch/{importbatch}/delete/",           (302, 403, 403, 403, 200)),
    # --- admin: Django groups are not offered (access is by role); login-throttling records (superuser only)
    (GET,  "/admin/auth/group/",                                      (302, 404, 404, 404, 404)),
    (GET,  "/admin/auth/group/add/",                                  (302, 404, 404, 404, 404)),
    (GET,  "/admin/auth/group/{group}/",                              (302, 404, 404, 404, 404)),
    (GET,  "/admin/auth/group/{group}/change/",                       (302, 404, 404, 404, 404)),
    (GET,  "/admin/auth/group/{group}/history/",                      (302, 404, 404, 404, 404)),
    (GET,  "/admin/auth/group/{group}/delete/",                       (302, 404, 404, 404, 404)),
    (GET,  "/admin/axes/accessattempt/",                              (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accessattempt/add/",                          (302, 403, 403, 403, 403)),
    (GET,  "/admin/axes/accessattempt/{accessattempt}/",              (302, 302, 302, 302, 302)),
    (GET,  "/admin/axes/accessattempt/{accessattempt}/change/",       (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accessattempt/{accessattempt}/history/",      (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accessattempt/{accessattempt}/delete/",       (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accesslog/",                                  (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accesslog/add/",                              (302, 403, 403, 403, 403)),
    (GET,  "/admin/axes/accesslog/{accesslog}/",                      (302, 302, 302, 302, 302)),
    (GET,  "/admin/axes/accesslog/{accesslog}/change/",               (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accesslog/{accesslog}/history/",              (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accesslog/{accesslog}/delete/",               (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accessfailurelog/",                           (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accessfailurelog/add/",                       (302, 403, 403, 403, 403)),
    (GET,  "/admin/axes/accessfailurelog/{accessfailurelog}/",        (302, 302, 302, 302, 302)),
    (GET,  "/admin/axes/accessfailurelog/{accessfailurelog}/change/", (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accessfailurelog/{accessfailurelog}/history/", (302, 403, 403, 403, 200)),
    (GET,  "/admin/axes/accessfailurelog/{accessfailurelog}/delete/", (302, 403, 403, 403, 200)),
    # --- admin: centre services (city-wide list: everyone reads, adam edits) ---------------------------
    (GET,  "/admin/facilities/service/",                              (302, 200, 200, 200, 200)),
    (GET,  "/admin/facilities/service/add/",                          (302, 403, 403, 403, 200)),
    (GET,  "/admin/facilities/service/{service}/",                    (302, 302, 302, 302, 302)),
    (GET,  "/admin/facilities/service/{service}/change/",             (302, 200, 200, 200, 200)),
    (POST, "/admin/facilities/service/{service}/change/",             (302, 403, 403, 403, 200), {"name": ""}),
    (GET,  "/admin/facilities/service/{service}/history/",            (302, 404, 404, 404, 404)),  # keeps no history
    (GET,  "/admin/facilities/service/{service}/history/{service_h}/", (302, 404, 404, 404, 404)),
    (POST, "/admin/facilities/service/{service}/history/{service_h}/", (302, 404, 404, 404, 404), {"name": ""}),
    (GET,  "/admin/facilities/service/{service}/delete/",             (302, 403, 403, 403, 200)),
    # --- admin: centres ----------------------------------------------------------------------------------
    (GET,  "/admin/facilities/centre/",                               (302, 200, 200, 200, 200)),
    (GET,  "/admin/facilities/centre/add/",                           (302, 200, 200, 403, 200)),
    (GET,  "/admin/facilities/centre/{centre_a}/",                    (302, 302, 302, 302, 302)),
    (GET,  "/admin/facilities/centre/{centre_a}/change/",             (302, 200, 404, 200, 200)),
    (GET,  "/admin/facilities/centre/{centre_b}/change/",             (302, 404, 200, 200, 200)),
    (POST, "/admin/facilities/centre/{centre_b}/change/",             (302, 404, 200, 403, 200), {"name": ""}),
    (GET,  "/admin/facilities/centre/{centre_a}/history/",            (302, 403, 404, 200, 200)),
    (GET,  "/admin/facilities/centre/{centre_b}/history/",            (302, 404, 403, 200, 200)),
    (GET,  "/admin/facilities/centre/{centre_a}/history/{centre_a_h}/", (302, 403, 404, 200, 200)),
    (GET,  "/admin/facilities/centre/{centre_b}/history/{centre_b_h}/", (302, 404, 403, 200, 200)),
    (POST, "/admin/facilities/centre/{centre_b}/history/{centre_b_h}/", (302, 404, 403, 403, 200), {"name": ""}),
    (GET,  "/admin/facilities/centre/{centre_a}/delete/",             (302, 200, 404, 403, 200)),
    (GET,  "/admin/facilities/centre/{centre_b}/delete/",             (302, 404, 200, 403, 200)),
    (POST, "/admin/facilities/centre/{centre_b}/delete/",             (302, 404, 302, 403, 302), {"post": "yes"}),
    (GET,  "/admin/facilities/centre/{centre_a}/verify/",             (302, 405, 405, 405, 405)),
    (POST, "/admin/facilities/centre/{centre_a}/verify/",             (302, 302, 404, 403, 302)),
    (POST, "/admin/facilities/centre/{centre_b}/verify/",             (302, 404, 302, 403, 302)),
    # --- admin: eldercare facilities ---------------------------------------------------------------------
    (GET,  "/admin/eldercare/facility/",                              (302, 200, 200, 200, 200)),
    (GET,  "/admin/eldercare/facility/add/",                          (302, 200, 200, 403, 200)),
    (GET,  "/admin/eldercare/facility/{facility_a}/",                 (302, 302, 302, 302, 302)),
    (GET,  "/admin/eldercare/facility/{facility_a}/change/",          (302, 200, 404, 200, 200)),
    (GET,  "/admin/eldercare/facility/{facility_b}/change/",          (302, 404, 200, 200, 200)),
    (GET,  "/admin/eldercare/facility/{street_centre_a}/change/",     (302, 200, 404, 200, 200)),
    (GET,  "/admin/eldercare/facility/{street_centre_b}/change/",     (302, 404, 200, 200, 200)),
    (POST, "/admin/eldercare/facility/{facility_b}/change/",          (302, 404, 200, 403, 200), {"name": ""}),
    (GET,  "/admin/eldercare/facility/{facility_a}/history/",         (302, 403, 404, 200, 200)),
    (GET,  "/admin/eldercare/facility/{facility_b}/history/",         (302, 404, 403, 200, 200)),
    (GET,  "/admin/eldercare/facility/{facility_a}/history/{facility_a_h}/", (302, 403, 404, 200, 200)),
    (GET,  "/admin/eldercare/facility/{facility_b}/history/{facility_b_h}/", (302, 404, 403, 200, 200)),
    (POST, "/admin/eldercare/facility/{facility_b}/history/{facility_b_h}/", (302, 404, 403, 403, 200), {"name": ""}),
    (GET,  "/admin/eldercare/facility/{facility_a}/delete/",          (302, 200, 404, 403, 200)),
    (GET,  "/admin/eldercare/facility/{facility_b}/delete/",          (302, 404, 200, 403, 200)),
    (POST, "/admin/eldercare/facility/{facility_b}/delete/",          (302, 404, 302, 403, 302), {"post": "yes"}),
    # --- admin: elderly people (personal data) -----------------------------------------------------------
    (GET,  "/admin/eldercare/elder/",                                 (302, 200, 200, 200, 200)),
    (GET,  "/admin/eldercare/elder/add/",                             (302, 200, 200, 403, 200)),
    (GET,  "/admin/eldercare/elder/{elder_a}/",                       (302, 302, 302, 302, 302)),
    (GET,  "/admin/eldercare/elder/{elder_a}/change/",                (302, 200, 404, 200, 200)),
    (GET,  "/admin/eldercare/elder/{elder_b}/change/",                (302, 404, 200, 200, 200)),
    (POST, "/admin/eldercare/elder/{elder_b}/change/",                (302, 404, 200, 403, 200), {"name": ""}),
    (GET,  "/admin/eldercare/elder/{elder_a}/history/",               (302, 403, 404, 200, 200)),
    (GET,  "/admin/eldercare/elder/{elder_b}/history/",               (302, 404, 403, 200, 200)),
    (GET,  "/admin/eldercare/elder/{elder_a}/history/{elder_a_h}/",   (302, 403, 404, 200, 200)),
    (GET,  "/admin/eldercare/elder/{elder_b}/history/{elder_b_h}/",   (302, 404, 403, 200, 200)),
    (POST, "/admin/eldercare/elder/{elder_b}/history/{elder_b_h}/",   (302, 404, 403, 403, 200), {"name": ""}),
    (GET,  "/admin/eldercare/elder/{elder_a}/delete/",                (302, 200, 404, 403, 200)),
    (GET,  "/admin/eldercare/elder/{elder_b}/delete/",                (302, 404, 200, 403, 200)),
    # An elder whose record was opened has access-log rows, which nobody may delete: so nobody deletes the elder.
    (POST, "/admin/eldercare/elder/{elder_b}/delete/",                (302, 404, 403, 403, 403), {"post": "yes"}),
    # --- admin: visits -----------------------------------------------------------------------------------
    (GET,  "/admin/eldercare/visit/",                                 (302, 200, 200, 200, 200)),
    (GET,  "/admin/eldercare/visit/add/",                             (302, 200, 200, 403, 200)),
    (GET,  "/admin/eldercare/visit/{visit_a}/",                       (302, 302, 302, 302, 302)),
    (GET,  "/admin/eldercare/visit/{visit_a}/change/",                (302, 200, 404, 200, 200)),
    (GET,  "/admin/eldercare/visit/{visit_b}/change/",                (302, 404, 200, 200, 200)),
    (POST, "/admin/eldercare/visit/{visit_b}/change/",                (302, 404, 200, 403, 200), {"visitor": ""}),
    (GET,  "/admin/eldercare/visit/{visit_a}/history/",               (302, 403, 404, 200, 200)),
    (GET,  "/admin/eldercare/visit/{visit_b}/history/",               (302, 404, 403, 200, 200)),
    (GET,  "/admin/eldercare/visit/{visit_a}/history/{visit_a_h}/",   (302, 403, 404, 200, 200)),
    (GET,  "/admin/eldercare/visit/{visit_b}/history/{visit_b_h}/",   (302, 404, 403, 200, 200)),
    (POST, "/admin/eldercare/visit/{visit_b}/history/{visit_b_h}/",   (302, 404, 403, 403, 200), {"visitor": ""}),
    (GET,  "/admin/eldercare/visit/{visit_a}/delete/",                (302, 200, 404, 403, 200)),
    (GET,  "/admin/eldercare/visit/{visit_b}/delete/",                (302, 404, 200, 403, 200)),
    (POST, "/admin/eldercare/visit/{visit_b}/delete/",                (302, 404, 302, 403, 302), {"post": "yes"}),
    # --- admin: access log of elders' records (bureau reads; nobody writes) -----------------------------
    (GET,  "/admin/eldercare/elderaccesslog/",                        (302, 403, 403, 200, 200)),
    (GET,  "/admin/eldercare/elderaccesslog/add/",                    (302, 403, 403, 403, 403)),
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_a}/",     (302, 302, 302, 302, 302)),
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_a}/change/", (302, 403, 404, 200, 200)),
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_b}/change/", (302, 404, 403, 200, 200)),
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_a}/history/", (302, 404, 404, 404, 404)),
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_b}/history/", (302, 404, 404, 404, 404)),
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_a}/history/1/", (302, 404, 404, 404, 404)),
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_b}/history/1/", (302, 404, 404, 404, 404)),
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_a}/delete/", (302, 403, 404, 403, 403)),
    (GET,  "/admin/eldercare/elderaccesslog/{elderaccesslog_b}/delete/", (302, 404, 403, 403, 403)),
    (POST, "/admin/eldercare/elderaccesslog/{elderaccesslog_b}/delete/", (302, 404, 403, 403, 403), {"post": "yes"}),
    # --- admin: volunteer service fields (bureau list) --------------------------------------------------
    (GET,  "/admin/volunteers/servicefield/",                         (302, 403, 403, 200, 200)),
    (GET,  "/admin/volunteers/servicefield/add/",                     (302, 403, 403, 403, 200)),
    (GET,  "/admin/volunteers/servicefield/{servicefield}/",          (302, 302, 302, 302, 302)),
    (GET,  "/admin/volunteers/servicefield/{servicefield}/change/",   (302, 403, 403, 200, 200)),
    (GET,  "/admin/volunteers/servicefield/{servicefield}/history/",  (302, 403, 403, 200, 200)),
    (GET,  "/admin/volunteers/servicefield/{servicefield}/delete/",   (302, 403, 403, 403, 200)),
    # --- admin: volunteer teams ---------------------------------------------------------------------------
    (GET,  "/admin/volunteers/team/",                                 (302, 200, 200, 200, 200)),
    (GET,  "/admin/volunteers/team/add/",                             (302, 200, 200, 403, 200)),
    (GET,  "/admin/volunteers/team/{team_a}/",                        (302, 302, 302, 302, 302)),
    (GET,  "/admin/volunteers/team/{team_a}/change/",                 (302, 200, 404, 200, 200)),
    (GET,  "/admin/volunteers/team/{team_b}/change/",                 (302, 404, 200, 200, 200)),
    (POST, "/admin/volunteers/team/{team_b}/change/",                 (302, 404, 200, 403, 200), {"name": ""}),
    (GET,  "/admin/volunteers/team/{team_a}/history/",                (302, 403, 404, 200, 200)),
    (GET,  "/admin/volunteers/team/{team_b}/history/",                (302, 404, 403, 200, 200)),
    (GET,  "/admin/volunteers/team/{team_a}/history/{team_a_h}/",     (302, 403, 404, 200, 200)),
    (GET,  "/admin/volunteers/team/{team_b}/history/{team_b_h}/",     (302, 404, 403, 200, 200)),
    (POST, "/admin/volunteers/team/{team_b}/history/{team_b_h}/",     (302, 404, 403, 403, 200), {"name": ""}),
    (GET,  "/admin/volunteers/team/{team_a}/delete/",                 (302, 200, 404, 403, 200)),
    (GET,  "/admin/volunteers/team/{team_b}/delete/",                 (302, 404, 200, 403, 200)),
    (POST, "/admin/volunteers/team/{team_b}/delete/",                 (302, 404, 302, 403, 302), {"post": "yes"}),
    # --- admin: team members (personal phone numbers) -----------------------------------------------------
    (GET,  "/admin/volunteers/member/",                               (302, 200, 200, 200, 200)),
    (GET,  "/admin/volunteers/member/add/",                           (302, 200, 200, 403, 200)),
    (GET,  "/admin/volunteers/member/{member_a}/",                    (302, 302, 302, 302, 302)),
    (GET,  "/admin/volunteers/member/{member_a}/change/",             (302, 200, 404, 200, 200)),
    (GET,  "/admin/volunteers/member/{member_b}/change/",             (302, 404, 200, 200, 200)),
    (POST, "/admin/volunteers/member/{member_b}/change/",             (302, 404, 200, 403, 200), {"name": ""}),
    (GET,  "/admin/volunteers/member/{member_a}/history/",            (302, 403, 404, 200, 200)),
    (GET,  "/admin/volunteers/member/{member_b}/history/",            (302, 404, 403, 200, 200)),
    (GET,  "/admin/volunteers/member/{member_a}/history/{member_a_h}/", (302, 403, 404, 200, 200)),
    (GET,  "/admin/volunteers/member/{member_b}/history/{member_b_h}/", (302, 404, 403, 200, 200)),
    (POST, "/admin/volunteers/member/{member_b}/history/{member_b_h}/", (302, 404, 403, 403, 200), {"name": ""}),
    (GET,  "/admin/volunteers/member/{member_a}/delete/",             (302, 200, 404, 403, 200)),
    (GET,  "/admin/volunteers/member/{member_b}/delete/",             (302, 404, 200, 403, 200)),
    (POST, "/admin/volunteers/member/{member_b}/delete/",             (302, 404, 302, 403, 302), {"post": "yes"}),
    # --- admin: service records -----------------------------------------------------------------------------
    (GET,  "/admin/volunteers/servicerecord/",                        (302, 200, 200, 200, 200)),
    (GET,  "/admin/volunteers/servicerecord/add/",                    (302, 200, 200, 403, 200)),
    (GET,  "/admin/volunteers/servicerecord/{servicerecord_a}/",      (302, 302, 302, 302, 302)),
    (GET,  "/admin/volunteers/servicerecord/{servicerecord_a}/change/", (302, 200, 404, 200, 200)),
    (GET,  "/admin/volunteers/servicerecord/{servicerecord_b}/change/", (302, 404, 200, 200, 200)),
    (POST, "/admin/volunteers/servicerecord/{servicerecord_b}/change/", (302, 404, 200, 403, 200), {"hours": ""}),
    (GET,  "/admin/volunteers/servicerecord/{servicerecord_a}/history/", (302, 403, 404, 200, 200)),
    (GET,  "/admin/volunteers/servicerecord/{servicerecord_b}/history/", (302, 404, 403, 200, 200)),
    (GET,  "/admin/volunteers/servicerecord/{servicerecord_a}/history/{servicerecord_a_h}/", (302, 403, 404, 200, 200)),
    (GET,  "/admin/volunteers/servicerecord/{servicerecord_b}/history/{servicerecord_b_h}/", (302, 404, 403, 200, 200)),
    (POST, "/admin/volunteers/servicerecord/{servicerecord_b}/history/{servicerecord_b_h}/", (302, 404, 403, 403, 200), {"hours": ""}),
    (GET,  "/admin/volunteers/servicerecord/{servicerecord_a}/delete/", (302, 200, 404, 403, 200)),
    (GET,  "/admin/volunteers/servicerecord/{servicerecord_b}/delete/", (302, 404, 200, 403, 200)),
    (POST, "/admin/volunteers/servicerecord/{servicerecord_b}/delete/", (302, 404, 302, 403, 302), {"post": "yes"}),
    # --- admin: social workers ------------------------------------------------------------------------------
    (GET,  "/admin/volunteers/worker/",                               (302, 200, 200, 200, 200)),
    (GET,  "/admin/volunteers/worker/add/",                           (302, 200, 200, 403, 200)),
    (GET,  "/admin/volunteers/worker/{worker_a}/",                    (302, 302, 302, 302, 302)),
    (GET,  "/admin/volunteers/worker/{worker_a}/change/",             (302, 200, 404, 200, 200)),
    (GET,  "/admin/volunteers/worker/{worker_b}/change/",             (302, 404, 200, 200, 200)),
    (POST, "/admin/volunteers/worker/{worker_b}/change/",             (302, 404, 200, 403, 200), {"name": ""}),
    (GET,  "/admin/volunteers/worker/{worker_a}/history/",            (302, 403, 404, 200, 200)),
    (GET,  "/admin/volunteers/worker/{worker_b}/history/",            (302, 404, 403, 200, 200)),
    (GET,  "/admin/volunteers/worker/{worker_a}/history/{worker_a_h}/", (302, 403, 404, 200, 200)),
    (GET,  "/admin/volunteers/worker/{worker_b}/history/{worker_b_h}/", (302, 404, 403, 200, 200)),
    (POST, "/admin/volunteers/worker/{worker_b}/history/{worker_b_h}/", (302, 404, 403, 403, 200), {"name": ""}),
    (GET,  "/admin/volunteers/worker/{worker_a}/delete/",             (302, 200, 404, 403, 200)),
    (GET,  "/admin/volunteers/worker/{worker_b}/delete/",             (302, 404, 200, 403, 200)),
    (POST, "/admin/volunteers/worker/{worker_b}/delete/",             (302, 404, 302, 403, 302), {"post": "yes"}),
    # --- admin: plans and targets (bureau reads, adam edits) -----------------------------------------------
    (GET,  "/admin/compliance/plan/",                                 (302, 403, 403, 200, 200)),
    (GET,  "/admin/compliance/plan/add/",                             (302, 403, 403, 403, 200)),
    (GET,  "/admin/compliance/plan/{plan}/",                          (302, 302, 302, 302, 302)),
    (GET,  "/admin/compliance/plan/{plan}/change/",                   (302, 403, 403, 200, 200)),
    (POST, "/admin/compliance/plan/{plan}/change/",                   (302, 403, 403, 403, 200), {"name": ""}),
    (GET,  "/admin/compliance/plan/{plan}/history/",                  (302, 403, 403, 200, 200)),
    (GET,  "/admin/compliance/plan/{plan}/history/{plan_h}/",         (302, 403, 403, 200, 200)),
    (POST, "/admin/compliance/plan/{plan}/history/{plan_h}/",         (302, 403, 403, 403, 200), {"name": ""}),
    (GET,  "/admin/compliance/plan/{plan}/delete/",                   (302, 403, 403, 403, 200)),
    (GET,  "/admin/compliance/target/",                               (302, 403, 403, 200, 200)),
    (GET,  "/admin/compliance/target/add/",                           (302, 403, 403, 403, 200)),
    (GET,  "/admin/compliance/target/{target}/",                      (302, 302, 302, 302, 302)),
    (GET,  "/admin/compliance/target/{target}/change/",               (302, 403, 403, 200, 200)),
    (GET,  "/admin/compliance/target/{target}/history/",              (302, 403, 403, 200, 200)),
    (GET,  "/admin/compliance/target/{target}/history/{target_h}/",   (302, 403, 403, 200, 200)),
    (POST, "/admin/compliance/target/{target}/history/{target_h}/",   (302, 403, 403, 403, 200), {"figure": ""}),
    (GET,  "/admin/compliance/target/{target}/delete/",               (302, 403, 403, 403, 200)),
]

#: Rows whose anonymous 302 is not a redirect to a login page.
NOT_TO_LOGIN = {"/accounts/logout/", "/i18n/setlang/", "/admin/logout/"}
#: POSTs residents make without signing in (report an error, 好差评): accepted from anyone, so they write.
RESIDENT_POSTS = {"/report/centre/{centre_b}/", "/rate/facility/{facility_b}/"}
DENIED = {403, 404, 405}


def _rows():
    for row in MATRIX:
        method, url, statuses = row[:3]
        data = row[3] if len(row) > 3 else None
        yield method, url, statuses, data


CASES = [
    pytest.param(method, url, persona, status, data, id=f"{method} {url} {persona}")
    for method, url, statuses, data in _rows()
    for persona, status in zip(PERSONAS, statuses, strict=True)
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with World(django_db_blocker) as built:
        yield built


#: A statement that changes rows (the test database's own SAVEPOINT/RELEASE bookkeeping does not).
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE)\b", re.IGNORECASE)


def writes(queries):
    """The row-changing statements among ``queries`` (sessions aside: logging in writes one)."""
    return [query["sql"] for query in queries if WRITE.match(query["sql"]) and '"django_session"' not in query["sql"]]


@pytest.mark.parametrize(("method", "url", "persona", "status", "data"), CASES)
def test_permission_matrix(db, world, client, method, url, persona, status, data):
    if persona != ANON:
        sign_in(client, world, persona)
    path = url.format(**world["ids"])
    denied_post = method == POST and ((persona == ANON and url not in RESIDENT_POSTS) or status in DENIED)
    # Every statement the request sends, raw SQL included: a refused POST writes no row, not even one it would
    # undo (reading every table before and after instead cost half of this file's time and saw less).
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, data or {}) if method == POST else client.get(path)
    assert response.status_code == status, f"{persona} {method} {path}"
    if persona == ANON and status == 302 and url not in NOT_TO_LOGIN:
        assert "login" in response["Location"], response["Location"]
    if denied_post:
        assert writes(queries.captured_queries) == [], f"{persona}'s refused {method} {path} wrote to the database"


def test_the_write_check_sees_what_an_allowed_post_writes(db, world, client):
    """The check above can fail: the same capture around a clerk's allowed visit record finds its INSERT."""
    client.force_login(world["users"][ALICE])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/eldercare/visits/{world['ids']['elder_a']}/record/", {"method": "phone"})
    assert response.status_code == 302
    assert any(sql.startswith("INSERT") and "eldercare_visit" in sql for sql in writes(queries.captured_queries))


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = URLResolver._join_route(prefix, str(pattern.pattern)) if prefix else str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


class _AnyId(dict):
    def __missing__(self, key):
        return "1"


def _covered_routes():
    return {resolve(urlsplit(url.format_map(_AnyId())).path).route for _, url, _, _ in _rows()}


def test_every_url_pattern_has_a_row():
    missing = sorted(set(_walk(get_resolver().url_patterns)) - _covered_routes())
    assert not missing, "URL patterns without a row in MATRIX:\n" + "\n".join(missing)


def test_every_admin_page_of_a_street_record_has_rows_for_both_streets():
    urls = {url for _, url, _, _ in _rows()}
    missing = []
    for model in admin.site._registry:
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        for page in ("", "add/"):
            if base + page not in urls:
                missing.append(base + page)
        if getattr(model, "SCOPE_DIVISION", None) is None:
            continue
        for street in ("a", "b"):
            for page in ("change/", "history/"):
                url = f"{base}{{{opts.model_name}_{street}}}/{page}"
                if url not in urls:
                    missing.append(url)
    assert not missing, "Admin pages without a row in MATRIX:\n" + "\n".join(missing)


def test_the_matrix_has_no_duplicate_rows():
    keys = [(method, url) for method, url, _, _ in _rows()]
    assert len(keys) == len(set(keys))


def test_the_completeness_check_notices_a_pattern_without_a_row():
    patterns = [*get_resolver().url_patterns, path("exchange/import/", lambda request: None)]
    assert set(_walk(patterns)) - _covered_routes() == {"exchange/import/"}


#: Pages that are public on purpose: they list every street.
PUBLIC_PREFIXES = (
    "/sitemap.xml", "/robots.txt", "/accounts/", "/facilities/", "/eldercare/nearest/", "/volunteers/{team",
    "/search/", "/near/", "/report/", "/rate/", "/open-data/", "/api/hsds/",
)
OTHER_STREET = {"alice": ("南山街道", "南山社区"), "bob": ("向阳街道", "建设社区")}


def _is_public(url):
    if url in ("/", "/eldercare/", "/volunteers/") or url.startswith(PUBLIC_PREFIXES):
        return True
    return url.startswith("/eldercare/{")


CLERK_PAGES = [
    pytest.param(clerk, url, id=f"{clerk} {url}")
    for method, url, statuses, _ in _rows()
    for clerk, status in (("alice", statuses[1]), ("bob", statuses[2]))
    if method == GET and status == 200 and not _is_public(url) and not url.endswith(".xlsx")
]


@pytest.mark.parametrize(("clerk", "url"), CLERK_PAGES)
def test_a_clerk_never_sees_the_name_of_another_street(db, world, client, clerk, url):
    """List filters, form choices, autocomplete answers: nothing names the other street or its community."""
    client.force_login(world["users"][clerk])
    response = client.get(url.format(**world["ids"]))
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/json"):
        page = response.json()
    elif "spreadsheetml" in response["Content-Type"]:  # workbook exports: every cell of every sheet
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        page = [row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
    else:
        page = response.content.decode()
    for name in OTHER_STREET[clerk]:
        assert name not in str(page)


def test_a_clerks_division_list_shows_their_own_streets_communities(db, world, client):
    """The other street's names are checked above (every clerk page); here: their own are there."""
    client.force_login(world["users"]["alice"])
    page = client.get("/admin/core/division/").content.decode()
    assert "向阳街道" in page and "建设社区" in page


def test_a_clerk_corrects_their_communitys_figures_but_not_its_code_or_name(db, world, client):
    """Code, name, kind and parent are the bureau's: read-only for a clerk, whatever the POST says."""
    from core.models import Division

    client.force_login(world["users"]["alice"])
    community = Division.objects.get(pk=world["ids"]["division_a"])
    response = client.post(f"/admin/core/division/{community.pk}/change/", {
        "households": "1100", "population": "2600", "population_60plus": "610", "latitude": "45.3",
        "longitude": "130.97", "code": "230302001999", "name": "改名社区",
    })
    assert response.status_code == 302
    community.refresh_from_db()
    assert (community.households, community.code, community.name) == (1100, "230302001001", "建设社区")
