"""Suite-wide fixtures and the suite's scheduling.

- Hypothesis profiles: ``fast`` (the default, 30 examples a property) and ``deep`` (hypothesis' own 100, and
  the counts the properties and schemathesis had before: ``make test-deep``). ``HYPOTHESIS_PROFILE`` picks one.
- Order: pytest-django runs the database tests first and the transactional ones (the browser journeys, whose
  teardown empties every table, migration data included) after them; within each of its groups,
  ``SLOW_FIRST`` puts the slowest files (measured with ``--durations=0``, summed by file) at the head, so that
  under ``pytest -n 2`` no slow file is left for the end while the other worker idles; each worker holds one
  test ahead (``pytest_xdist_make_scheduler``), so the last tests go to whichever worker is free. Only the files
  of ``TOGETHER`` (a module-scoped world each worker would build again) go whole to one worker; others are not
  pinned to a worker: ``--dist loadfile`` would send a browser file between two database files and leave the next
  file without the migrations' rows, and ``--dist loadgroup`` cannot group under pytest 9 (pytest-xdist 3.8
  renames ``item._nodeid``, which pytest 9 no longer reads).
- ``PORTAL_DATABASE_TESTS_ONLY=1`` deselects the tests that use no database (CI's PostgreSQL pass: they ran in
  its SQLite pass already).
"""

import gc
import os

import pytest
from hypothesis import settings

pytest_plugins = ["tests.personas"]

settings.register_profile("fast", max_examples=30, deadline=None)
settings.register_profile("deep", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))
DEEP = settings.default.max_examples >= 100

# The slowest files first, slowest at the head; every other file keeps its place after them.
SLOW_FIRST = (
    "tests/security/test_permission_matrix.py",
    "tests/browser/test_accessibility.py",
    "tests/opendata/test_schemas.py",
    "tests/browser/test_timeline_journey.py",
    "tests/opendata/test_conformance.py",
    "tests/exchange/test_hostile.py",
    "tests/core/test_commands.py",
    "tests/exchange/test_formula_injection.py",
    "tests/opendata/test_datapackage.py",
    "tests/security/test_district_reviewer_matrix.py",
    "tests/security/test_shared_cache.py",
    "tests/browser/test_portal_journey.py",
    "tests/security/test_public_privacy.py",
    "tests/browser/test_reviewer_journey.py",
    "tests/browser/test_reporting_journey.py",
    "tests/browser/test_data_entry_journey.py",
    "tests/browser/test_clerk_journey.py",
    "tests/browser/test_home.py",
    "tests/eldercare/test_public.py",
    "tests/security/test_deploy_settings.py",
)
_RANK = {path: rank for rank, path in enumerate(SLOW_FIRST)}
# Files whose tests share a module- or class-scoped world (a crawl of the demo city, the permission matrix's
# records): each worker that runs one of their tests builds it, so all of a file's tests go to one worker.
TOGETHER = frozenset({
    "tests/security/test_permission_matrix.py",
    "tests/security/test_district_reviewer_matrix.py",
    "tests/security/test_public_privacy.py",
    "tests/opendata/test_api.py",
    "tests/opendata/test_conformance.py",
    "tests/opendata/test_datapackage.py",
    "tests/opendata/test_schemas.py",
    "tests/exchange/test_formula_injection.py",
    "tests/compliance/test_compiled.py",
})


def pytest_configure(config):
    """Every worker's test database is copied from one migrated template (``tests/db_template.py``)."""
    from django.conf import settings

    from tests import db_template

    postgresql = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    name = os.environ.get(db_template.ENV)
    if name is None and not hasattr(config, "workerinput"):  # the controller, or a run without workers
        name = db_template.ensure(os.environ["DATABASE_URL"]) if postgresql else db_template.ensure_sqlite()
        os.environ[db_template.ENV] = name  # the workers it starts inherit it
    if name:
        (db_template.use if postgresql else db_template.use_sqlite)(name)


def pytest_collection_finish(session):
    """The garbage collector: what is alive after collection (Django, the apps, the test modules) is frozen out of
    its scans, and it runs after 50,000 new objects instead of 700. A test makes and drops many thousands of
    objects (querysets, templates, responses) that reference counting frees; scanning them again and again was
    6 % of the suite's CPU (the tests outside tests/browser in one process: 147.6 → 138.9 s user)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


@pytest.hookimpl(trylast=True)  # after pytest-django's order (database, transactional, no database)
def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: (_django_order(item), _RANK.get(item.nodeid.split("::", 1)[0], len(SLOW_FIRST))))
    if os.environ.get("PORTAL_DATABASE_TESTS_ONLY") == "1":
        # CI's second pass (.ci/run, on PostgreSQL): a test that touches no database gives the same answer as in
        # the first pass; the ones that read settings under another DATABASE_URL set their own environment.
        without = [item for item in items if _django_order(item) == 2]
        if without:
            config.hook.pytest_deselected(items=without)
            items[:] = [item for item in items if _django_order(item) != 2]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``-n``'s load scheduling, with each worker holding one test in hand and one queued.

    xdist's own hands a worker that runs quick tests ever larger chunks, so that near the end one worker still
    held a dozen browser journeys (50 s) while the other had nothing left. Here the next test goes to whichever
    worker is free, in the order above: the slowest first, and within a worker every database test still runs
    before every transactional one (which empty the tables). ``_send_tests``/``node2pending``/``pending`` are
    pytest-xdist 3.8's; revisit on an upgrade.
    """
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScheduling

    class OneAhead(LoadScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            self.maxschedchunk = 2  # the first batch: two tests for each worker

        def check_schedule(self, node, duration=0):
            if node.shutting_down:
                return
            if not self.pending:
                node.shutdown()
                return
            queued = len(self.node2pending[node])
            if queued < 2:
                self._send_tests(node, 2 - queued)

        def _send_tests(self, node, num):
            """The next ``num`` tests, and with a test of a ``TOGETHER`` file every other test of that file."""
            chosen = self.pending[:num]
            del self.pending[:num]
            files = {self.collection[index].split("::", 1)[0] for index in chosen} & TOGETHER
            if files:
                rest = {index for index in self.pending if self.collection[index].split("::", 1)[0] in files}
                chosen += [index for index in self.pending if index in rest]
                self.pending[:] = [index for index in self.pending if index not in rest]
            if chosen:
                self.node2pending[node].extend(chosen)
                node.send_runtest_some(chosen)

    return OneAhead(config, log)


def _django_order(item):
    """pytest-django's order number: 0 database, 1 transactional database (or live server), 2 no database."""
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    transactional = bool(marker and any(validate_django_db(marker)[:2])) or bool({"transactional_db", "live_server"} & fixtures)
    if transactional:
        return 1
    return 0 if marker or "db" in fixtures else 2


def _delete_rather_than_truncate():
    """PostgreSQL: the transactional tests' teardown (``flush``) empties the tables with one DELETE each instead
    of one TRUNCATE of them all: on these small tables 0.02 s against 0.4–0.6 s, once after every browser
    journey. The foreign keys are deferred to the commit, so the order doesn't matter; the row triggers that
    keep ``portal_streetfigures`` fire as on SQLite's flush (a DELETE too) and leave it empty as well."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush


_delete_rather_than_truncate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """A rolled-back test must not leave cached figures (core.caching) for the next one, nor the validation
    rules' settings that each process keeps for a minute (``reporting.rules``): a test that turned a rule off
    is rolled back, the process's copy would not be."""
    from django.core.cache import caches

    from core import reference
    from reporting import rules

    for alias in ("default", "pages"):
        caches[alias].clear()
    rules.forget_settings()
    reference.forget()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()
    rules.forget_settings()
    reference.forget()



@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language. A request in English leaves English active in its thread
    (LocaleMiddleware activates the visitor's language and nothing deactivates it), and a later test on the same
    worker then read "Visit date … is after today" where it expected 晚于今天 — an order-dependent failure."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def compiles(monkeypatch):
    """The models whose queries the ORM compiles from here on (``SQLCompiler.as_sql`` calls): a page whose reads are
    compiled once a process (``core.compiled``) compiles nothing on its second request."""
    from django.db.models.sql.compiler import SQLCompiler

    counted = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        counted.append(self.query.model._meta.label)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return counted
