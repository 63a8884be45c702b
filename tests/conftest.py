import pytest

pytest_plugins = ["tests.personas"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """A rolled-back test must not leave cached figures (core.caching) for the next one."""
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()
