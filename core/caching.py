"""Read-mostly public figures, cached under a version key that any change of their data bumps.

Anonymous pages read the same few aggregates on every request; they change only
when a clerk saves a record. Each cached value's key carries the current
version, so bumping the version (one ``incr``) retires every cached public
value at once, whatever its key. ``post_save``/``post_delete`` of the watched
models bump it (``watch`` in an AppConfig's ``ready()``); writers that bypass
signals (``bulk_create``, ``QuerySet.update``) call ``invalidate_public()``.
The timeout bounds staleness if a writer forgets.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "public:version"
TIMEOUT = 300  # seconds


def public_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def invalidate_public(**_signal_kwargs):
    """Retire every cached public value (usable as a signal receiver)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: nothing cached under one either
        cache.add(VERSION_KEY, 1, timeout=None)


def cached_public(name, compute, timeout=TIMEOUT):
    """``compute()`` cached as ``name`` until the public data changes."""
    key = f"public:{name}:v{public_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def watch(*models):
    """Bump the public version whenever a row of these models is saved or deleted."""
    for model in models:
        post_save.connect(invalidate_public, sender=model, dispatch_uid=f"public-version-save-{model._meta.label}")
        post_delete.connect(invalidate_public, sender=model, dispatch_uid=f"public-version-delete-{model._meta.label}")
