"""Read-mostly public figures and pages, cached under versions that the changes of their data bump.

Two kinds of version live in the shared cache (``default``):

- the global version (``public:version``): names, the holiday calendar and the lookup lists appear on
  every public page, so a change of a ``watch``ed model, or ``invalidate_public()`` from a writer that
  bypasses signals (``bulk_create``, ``QuerySet.update``), retires everything at once;
- scope versions (``public:scope:…``): a save of a ``watch_scoped`` record (a centre, an eldercare
  facility, a team, a service record) bumps only the scopes it touches — the record itself, its street,
  its district, its app's city-wide pages and ``any`` (the home page's headline counts). A save in one
  street leaves the pages of every other street and every other record in place.

Each version is bumped when the row changes and again when the transaction commits, so a page rendered
from the old rows while the transaction was open isn't kept under the new version. A version the cache
has lost is re-created with a fresh value (the clock in ns), never one a kept page could carry.

A writer that changes many rows at once (``manage.py seed_demo``, a restore) wraps the work in
``bulk_change()``: inside it no save, delete or link change bumps (or looks up the scopes of) anything,
and on leaving it the global version and ``any`` are bumped once, now and again on commit — which
retires every kept page and value, since each carries the global version.

``cache_public_page`` keeps the whole rendered page for anonymous GETs — in each process's own "pages"
cache, and in the shared cache so that the other workers needn't render it again after a save retired
it — per language and full path, with a placeholder where ``{% csrf_token %}`` goes
(``core.context_processors.portal`` supplies it); each response gets the visitor's own token. A kept page
carries the versions of the scopes its view declared with ``depends_on`` (read before the view reads its
rows) and a moment it is good until (``depends_on(until=…)``: the next time an "open now" shown on it can
change; midnight by default, when "today" moves on). A hit costs one ``get_many`` of those versions.
"""

import hashlib
import time
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpResponse
from django.middleware.csrf import get_token

from core import opening

VERSION_KEY = "public:version"
SCOPE_PREFIX = "public:scope:"
ANY = "any"  # bumped by every scoped save: pages and figures that sum the whole city across apps
TIMEOUT = 300  # seconds


def cache_available():
    """False while the shared cache is failing (``core.cache_backends``): read and render uncached then."""
    is_failing = getattr(cache, "is_failing", None)
    return not (is_failing and is_failing())


def _fresh():
    return time.time_ns()


def _versions(keys):
    """Current versions of ``keys``; a missing one is created with a fresh value."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh(), timeout=None)
            found[key] = cache.get(key)
    return found


def global_version():
    """The global version alone (None while the shared cache is off)."""
    return _versions([VERSION_KEY])[VERSION_KEY]


#: The global version a public page being rendered read before its rows (``cache_public_page``).
_render_version = ContextVar("public_render_version", default=None)


def current_global_version():
    return _render_version.get()


def public_version():
    """A token that changes whenever any public data changes: a global bump or any scoped save (``ANY``)."""
    versions = _versions([VERSION_KEY, SCOPE_PREFIX + ANY])
    return f"{versions[VERSION_KEY]}.{versions[SCOPE_PREFIX + ANY]}"


def _bump_keys(keys):
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # no version yet: nothing cached under one either
            cache.add(key, _fresh(), timeout=None)


#: Open ``bulk_change()`` blocks in this thread or task: per-row bumps are skipped while there is one.
_deferred = ContextVar("public_cache_deferred", default=0)


def _deferring():
    return _deferred.get() > 0


@contextmanager
def bulk_change():
    """Defer every public-cache bump inside the block to one global bump on leaving it.

    For writers of many rows (``seed_demo``): the per-row receivers neither query the rows' scopes nor
    touch the cache inside, and leaving the block (even by an exception: rows may have been written)
    bumps the global version and ``any`` now and when the transaction commits, so no page kept before
    or while the block ran survives it. Blocks nest; only the outermost one bumps.
    """
    token = _deferred.set(_deferred.get() + 1)
    try:
        yield
    finally:
        _deferred.reset(token)
        if not _deferring():
            _bump_now_and_on_commit([VERSION_KEY, SCOPE_PREFIX + ANY])


def _bump_now_and_on_commit(keys):
    if _deferring():
        return
    keys = list(keys)
    _bump_keys(keys)
    transaction.on_commit(lambda: _bump_keys(keys))


def invalidate_public(**_signal_kwargs):
    """Retire every cached public value (usable as a signal receiver)."""
    _bump_now_and_on_commit([VERSION_KEY])


def invalidate_scopes(*scopes):
    """Retire the cached pages and figures that depend on any of ``scopes`` (see ``record_scopes``)."""
    _bump_now_and_on_commit([SCOPE_PREFIX + scope for scope in scopes])


def cached_public(name, compute, timeout=TIMEOUT, scopes=()):
    """``compute()`` cached as ``name`` until the public data changes (globally, or in one of ``scopes``)."""
    if not cache_available():
        return compute()
    keys = [VERSION_KEY, *(SCOPE_PREFIX + scope for scope in scopes)]
    versions = _versions(keys)
    if not cache_available():  # reading the versions may itself find the cache broken
        return compute()
    key = f"public:{name}:" + ":".join(str(versions[k]) for k in keys)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


#: What each app registered from its ``AppConfig.ready``: model label → ``None`` (global) or its scope group.
WATCHED = {}


def watch(*models):
    """Bump the global version whenever a row of these models, or one of their many-to-many links, changes.

    Each app calls this (or ``watch_scoped``) from its ``AppConfig.ready`` for the models its public pages show.
    """
    for model in models:
        label = model._meta.label
        WATCHED[label] = None
        post_save.connect(invalidate_public, sender=model, dispatch_uid=f"public-version-save-{label}")
        post_delete.connect(invalidate_public, sender=model, dispatch_uid=f"public-version-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                invalidate_public, sender=field.remote_field.through, dispatch_uid=f"public-version-m2m-{label}-{field.name}"
            )


# --- scopes ---------------------------------------------------------------------------------------------


def city_scope(group):
    return group


def district_scope(group, district_id):
    return f"{group}:d{district_id}"


def street_scope(group, street_id):
    return f"{group}:s{street_id}"


def record_scope(group, pk):
    return f"{group}:r{pk}"


def division_scope(group, division):
    """The scope of a list narrowed to ``division`` (a street or a district; None: the whole city)."""
    if division is None:
        return city_scope(group)
    if division.level == "street":
        return street_scope(group, division.pk)
    if division.level == "district":
        return district_scope(group, division.pk)
    return city_scope(group)


def record_scopes(group, record_id, division_row):
    """What a saved record touches: itself, its street, its district, its app's city pages, ``any``.

    ``division_row`` is ``(id, street_id, district_id, level)`` of the record's division.
    """
    scopes = [ANY, city_scope(group), record_scope(group, record_id)]
    if division_row is not None:
        pk, street_id, district_id, level = division_row
        street_id = pk if level == "street" else street_id
        district_id = pk if level == "district" else district_id
        if street_id:
            scopes.append(street_scope(group, street_id))
        if district_id:
            scopes.append(district_scope(group, district_id))
    return scopes


def _scopes_of(model, fields, group, pk):
    """The scopes a row of ``model`` touches now (``fields``: see ``watch_scoped``)."""
    if _deferring():  # bulk_change() bumps everything on leaving: no need to know which
        return set()
    row = model._base_manager.filter(pk=pk).values_list(*fields).first()
    if row is None:
        return set()
    return set(record_scopes(group, row[0], row[1:] if row[1] is not None else None))


def watch_scoped(model, *, group, record="pk", division):
    """Bump only the scopes a row of ``model`` touches, before and after the change (it may move street).

    ``record`` is the path to the public record whose page shows the row (``"pk"`` or e.g. ``"team"``),
    ``division`` the path to its division (e.g. ``"community"`` or ``"team__community"``).
    """
    label = model._meta.label
    WATCHED[label] = group
    fields = (record, division, f"{division}__street", f"{division}__district", f"{division}__level")

    def scopes_of(pk):
        return _scopes_of(model, fields, group, pk)

    def before(sender, instance, raw=False, **kwargs):
        instance._public_scopes_before = scopes_of(instance.pk) if instance.pk and not raw else set()

    def after_save(sender, instance, raw=False, **kwargs):
        scopes = getattr(instance, "_public_scopes_before", set()) | scopes_of(instance.pk)
        instance._public_scopes_before = set()
        invalidate_scopes(*sorted(scopes))

    def after_delete(sender, instance, **kwargs):
        invalidate_scopes(*sorted(getattr(instance, "_public_scopes_before", set()) or {ANY, city_scope(group)}))

    def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not action.startswith("post_"):
            return
        if reverse or not isinstance(instance, model):  # e.g. a service renamed from its own side: everything
            invalidate_public()
        else:
            invalidate_scopes(*sorted(scopes_of(instance.pk)))

    # The receivers are closures: keep them alive (weak=False) under stable dispatch ids.
    pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"public-scope-pre-save-{label}")
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=f"public-scope-save-{label}")
    pre_delete.connect(before, sender=model, weak=False, dispatch_uid=f"public-scope-pre-delete-{label}")
    post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=f"public-scope-delete-{label}")
    for field in model._meta.many_to_many:
        m2m_changed.connect(
            links_changed, sender=field.remote_field.through, weak=False,
            dispatch_uid=f"public-scope-m2m-{label}-{field.name}",
        )


# --- whole pages ----------------------------------------------------------------------------------------

CSRF_PLACEHOLDER = "public-page-csrf-placeholder-7f3a"


def _cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # a session may carry messages
        and "messages" not in request.COOKIES
    )


def depends_on(request, *scopes, until=None):
    """Declare, before reading the rows, what the page being rendered shows (no-op outside a cached render).

    ``until``: an aware datetime after which the page must be rendered again (e.g. a centre shown as open
    closes then). May be called more than once; the scopes add up and the earliest moment wins.
    """
    render = getattr(request, "public_page_render", None)
    if not render:
        return
    keys = [SCOPE_PREFIX + scope for scope in scopes if SCOPE_PREFIX + scope not in render["versions"]]
    if keys:
        render["versions"].update(_versions(keys))
    if until is not None and until < render["until"]:
        render["until"] = until


def next_midnight(moment):
    return datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), tzinfo=moment.tzinfo)


def _kept_page(stores, key, now):
    """The page kept as ``key`` in this process's store, else the shared one, if still current; else None."""
    for store in stores:  # this process's copy, then the one another worker rendered
        entry = store.get(key)
        if entry is not None:
            content, content_type, versions, until = entry
            if now < until and _versions(list(versions)) == versions:
                if store is not stores[0]:
                    stores[0].set(key, entry, TIMEOUT)
                return HttpResponse(content, content_type=content_type)
    return None


def cache_public_page(view):
    """Serve an anonymous visitor the page as rendered for the current versions of what it shows.

    For views that just render a template (no headers of their own beyond the content type). A view that
    declares nothing with ``depends_on`` depends on ``any`` (every scoped save retires it).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request) or not cache_available():
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = f"public:page:{getattr(request, 'LANGUAGE_CODE', '')}:{path}"
        pages = caches["pages"]
        now = opening.local_now()  # the clock the pages themselves read
        kept_pages = (pages, cache) if settings.PUBLIC_PAGE_CACHE else ()  # off: every page rendered as after a save
        kept = _kept_page(kept_pages, key, now)
        if kept is not None:
            return _with_token(request, kept)
        # Read before the view reads its rows; ``any`` only counts if the view declares nothing narrower.
        versions = _versions([VERSION_KEY, SCOPE_PREFIX + ANY])
        if not cache_available():  # reading the versions found the cache broken: render uncached
            return view(request, *args, **kwargs)
        render = {"versions": {VERSION_KEY: versions[VERSION_KEY]}, "until": next_midnight(now)}
        request.public_page_render = render
        token = _render_version.set(versions[VERSION_KEY])
        try:
            response = view(request, *args, **kwargs)
        finally:
            _render_version.reset(token)
            request.public_page_render = None
        if response.status_code != 200 or response.streaming or response.cookies:
            return _with_token(request, response)
        if len(render["versions"]) == 1:
            render["versions"] = versions
        entry = (response.content, response["Content-Type"], render["versions"], render["until"])
        for store in kept_pages:
            store.set(key, entry, TIMEOUT)
        return _with_token(request, response)

    return wrapped


def _with_token(request, response):
    if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return response
