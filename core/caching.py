"""Read-mostly public figures, cached under a version key that any change of their data bumps.

Anonymous pages read the same few aggregates on every request; they change only
when a clerk saves a record. Each cached value's key carries the current
version, so bumping the version (one ``incr``) retires every cached public
value at once, whatever its key. ``post_save``/``post_delete`` of the watched
models bump it (``watch`` in an AppConfig's ``ready()``); writers that bypass
signals (``bulk_create``, ``QuerySet.update``) call ``invalidate_public()``.
The timeout bounds staleness if a writer forgets.

``cache_public_page`` goes one step further for anonymous GETs: the whole
rendered page is kept (in each process's own "pages" cache, under the shared
version), per language, minute and full path, with a placeholder where
``{% csrf_token %}`` goes (``core.context_processors.portal`` supplies it);
each response gets the visitor's own token, so the language form keeps working.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token

from core import opening

VERSION_KEY = "public:version"
TIMEOUT = 300  # seconds


def cache_available():
    """False while the shared cache is failing (``core.cache_backends``): read and render uncached then."""
    is_failing = getattr(cache, "is_failing", None)
    return not (is_failing and is_failing())


def public_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: nothing cached under one either
        cache.add(VERSION_KEY, 1, timeout=None)


def invalidate_public(**_signal_kwargs):
    """Retire every cached public value (usable as a signal receiver).

    Bumped now and again when the transaction commits, so that a page rendered from the
    old rows while the transaction was open isn't kept under the new version.
    """
    _bump()
    transaction.on_commit(_bump)


def cached_public(name, compute, timeout=TIMEOUT):
    """``compute()`` cached as ``name`` until the public data changes."""
    version = public_version() if cache_available() else None
    if version is None or not cache_available():  # reading the version may itself find the cache broken
        return compute()
    key = f"public:{name}:v{version}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def watch(*models):
    """Bump the public version whenever a row of these models, or one of their many-to-many links, changes."""
    for model in models:
        label = model._meta.label
        post_save.connect(invalidate_public, sender=model, dispatch_uid=f"public-version-save-{label}")
        post_delete.connect(invalidate_public, sender=model, dispatch_uid=f"public-version-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                invalidate_public, sender=field.remote_field.through, dispatch_uid=f"public-version-m2m-{label}-{field.name}"
            )


CSRF_PLACEHOLDER = "public-page-csrf-placeholder-7f3a"


def _cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # a session may carry messages
        and "messages" not in request.COOKIES
    )


def cache_public_page(view):
    """Serve an anonymous visitor the page as rendered for the current public version and minute.

    For views that just render a template (no headers of their own beyond the content type).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request) or not cache_available():
            return view(request, *args, **kwargs)
        version = public_version()
        if not cache_available():  # reading the version found the cache broken: render uncached
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        # The minute is part of the key: pages show "open now" and today's hours.
        minute = opening.local_now().strftime("%Y%m%d%H%M")  # the clock the pages themselves read
        key = f"public:page:v{version}:{minute}:{getattr(request, 'LANGUAGE_CODE', '')}:{path}"
        pages = caches["pages"]
        entry = pages.get(key)
        if entry is None:
            request.public_page_render = True
            response = view(request, *args, **kwargs)
            request.public_page_render = False
            if response.status_code != 200 or response.streaming or response.cookies:
                return _with_token(request, response)
            entry = (response.content, response["Content-Type"])
            pages.set(key, entry, TIMEOUT)
        content, content_type = entry
        return _with_token(request, HttpResponse(content, content_type=content_type))

    return wrapped


def _with_token(request, response):
    if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return response
