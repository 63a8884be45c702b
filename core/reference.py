"""Reference data that every public page reads, kept in each process until the public data changes.

The holiday calendar, a city's districts and the closed lists (a centre's services, an eldercare facility's
care services, a team's service fields) are a few dozen rows each that change a few times a year, yet an
uncached public page read two or three of them with a query each (its compile, its round trip, its rows:
a third of a list page's queries and a fifth of its time).

``kept(name, compute)`` keeps ``compute()``'s result in this process under the shared global version
(``core.caching.VERSION_KEY``), which a change of any ``watch``ed model — ``Division``, ``Holiday``, the
closed lists — bumps when the row changes and again when its transaction commits, in every process. So a
value is never served after the change that made it stale has committed: the same guarantee as a cached
public page (which carries that same version). While the shared cache is off or failing there is no
version to check: ``compute()`` runs every time.

A kept value is shared by every request of the process: never change it.
"""

from core import caching

_kept = {}  # name → (global version, value)


def _global_version():
    """The shared global version, or None when there is none to trust (the cache is off or failing)."""
    version = caching.current_global_version()  # a page being rendered read it already
    if version is None and caching.cache_available():
        version = caching.global_version()
    return version if caching.cache_available() else None


def kept(name, compute):
    """``compute()`` (no arguments), computed once per global version in this process."""
    version = _global_version()
    if version is None:
        return compute()
    found = _kept.get(name)
    if found is not None and found[0] == version:
        return found[1]
    value = compute()
    _kept[name] = (version, value)
    return value


def is_reference(model):
    """Whether a change of any row of ``model`` bumps the global version (``core.caching.watch``)."""
    return model._meta.label in caching.WATCHED and caching.WATCHED[model._meta.label] is None


def forget():
    """Drop every kept value (tests: a rolled-back change leaves the cache's versions, not the rows)."""
    _kept.clear()
