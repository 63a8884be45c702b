"""Suite-wide fixtures and the suite's scheduling.

- Hypothesis profiles: ``fast`` (the default, 30 examples a property) and ``deep`` (hypothesis' own 100, and
  the counts the properties and schemathesis had before: ``make test-deep``). ``HYPOTHESIS_PROFILE`` picks one.
- Under ``pytest -n 2 --dist loadgroup`` (``make test``) the modules whose data is built once per module
  (``scope="module"`` worlds: the permission matrices, the public-data crawl, the open-data demo city) each run
  on one worker, so that their world is built once; the browser journeys share one worker, one chromium and one
  live server. xdist hands out these groups first, largest first, so no slow group is left for the end.
"""

import os

import pytest
from hypothesis import settings

pytest_plugins = ["tests.personas"]

settings.register_profile("fast", max_examples=30, deadline=None)
settings.register_profile("deep", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))
DEEP = settings.default.max_examples >= 100

# path prefix → xdist group
GROUPS = {
    "tests/browser/": "browser",
    "tests/security/test_permission_matrix.py": "permission-matrix",
    "tests/security/test_district_reviewer_matrix.py": "district-matrix",
    "tests/security/test_public_privacy.py": "public-crawl",
    "tests/opendata/test_schemas.py": "hsds-schemas",
    "tests/opendata/test_datapackage.py": "hsds-datapackage",
    "tests/opendata/test_conformance.py": "hsds-conformance",
}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        for prefix, group in GROUPS.items():
            if path.startswith(prefix):
                item.add_marker(pytest.mark.xdist_group(group))
                break


@pytest.fixture(autouse=True)
def _empty_cache():
    """A rolled-back test must not leave cached figures (core.caching) for the next one."""
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()
