"""Suite-wide fixtures and the suite's scheduling.

- Hypothesis profiles: ``fast`` (the default, 30 examples a property) and ``deep`` (hypothesis' own 100, and
  the counts the properties and schemathesis had before: ``make test-deep``). ``HYPOTHESIS_PROFILE`` picks one.
- Under ``pytest -n 2 --dist loadfile --no-loadscope-reorder`` (``make test``) each file runs on one worker,
  so that a module-scoped world (the permission matrices, the public-data crawl, the open-data demo city) is
  built once, and xdist hands the files out in collection order. ``SLOW_FIRST`` puts the slowest files
  (measured with ``--durations=0``, summed by file) at the head of that order, so that no slow file is left for
  the end while the other worker idles. (``--dist loadgroup`` would say this with markers, but pytest-xdist
  3.8 cannot group under pytest 9: it renames ``item._nodeid``, which pytest 9 no longer reads.)
"""

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


@pytest.hookimpl(trylast=True)  # after pytest has grouped the items by their fixtures
def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: _RANK.get(item.nodeid.split("::", 1)[0], len(SLOW_FIRST)))


@pytest.fixture(autouse=True)
def _empty_cache():
    """A rolled-back test must not leave cached figures (core.caching) for the next one."""
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()
