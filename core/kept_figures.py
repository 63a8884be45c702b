"""Figures the database keeps up to date for public pages, and the checks that recompute them.

A page that shows an aggregate reads it from rows that triggers keep in step with every write (e.g. the
home page's counts, ``portal.StreetFigures``) instead of counting per request. The app that keeps such rows
registers ``check() -> [message]`` here in its ``AppConfig.ready``: the check recomputes the figures from
the base tables and names each row that differs. ``python manage.py verify_figures`` runs every check and
exits with status 1 if any found a difference.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

#: ``{name: check}`` in registration order.
CHECKS = {}

#: ``{name: read}``: whole-deployment totals an app keeps (``"facilities.centre.operating"`` …), for the apps
#: below it that would otherwise count them per request (the open-data API's unfiltered service list).
#: ``read() -> {name: value, …}`` answers every total it registered at once (one query for several).
TOTALS = {}


#: ``listener(model, pks) -> after(written_pks)``: the apps that keep figures from records, told of a bulk write.
WRITERS = []

#: ``{name: rebuild}``: what recomputes an app's kept figures from scratch (after a bulk load, e.g. the demo city).
REBUILDS = {}


def register(name, check):
    CHECKS[name] = check


def register_writer(listener):
    WRITERS.append(listener)


def register_rebuild(name, rebuild):
    REBUILDS[name] = rebuild


_DEFERRED = ContextVar("kept_figures_deferred", default=False)


def deferred():
    """Inside ``bulk_load``: the apps keep nothing row by row."""
    return _DEFERRED.get()


@contextmanager
def bulk_load():
    """For a loader of thousands of records (``seed_demo``): nothing is kept record by record inside the block;
    leaving it without an error rebuilds every app's kept figures once (``rebuild_all``)."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
    if not deferred():
        rebuild_all()


def rebuild_all():
    """Every registered rebuild (after a loader that writes without ``save()``); ``{name: result}``."""
    return {name: rebuild() for name, rebuild in REBUILDS.items()}


@contextmanager
def writing(model, pks=()):
    """Around a bulk write of ``model``'s records that sends no ``save()`` signal (the workbook import).

    ``pks``: the existing records about to change — each listener reads what it needs of them first (where they
    stood). The block hands every record it wrote, created ones included, to the yielded callable; on leaving it
    the listeners bring their figures up to date, still inside the writer's transaction::

        with kept_figures.writing(Centre, [obj.pk for obj in to_update]) as wrote:
            ...bulk writes...
            wrote(pks_written)
    """
    afters = [listener(model, list(pks)) for listener in WRITERS]
    written = []
    yield written.extend
    for after in afters:
        after(written)


def register_totals(names, read):
    """``read() -> {name: value}`` keeps the totals ``names``."""
    for name in names:
        TOTALS[name] = read


def totals(counts):
    """``{name: value}`` for ``counts`` (``{name: count}``): the kept total where an app keeps it — each reader
    asked once for all its names —, else ``count()`` (e.g. a deployment without the portal app)."""
    found, read = {}, {}
    for name, count in counts.items():
        reader = TOTALS.get(name)
        if reader is None:
            found[name] = count()
            continue
        if reader not in read:
            read[reader] = reader()
        found[name] = read[reader][name]
    return found


@contextmanager
def snapshot():
    """A read-only transaction whose reads all see one moment: on PostgreSQL a repeatable-read transaction when this is the
    outermost block (inside a caller's transaction it is too late to choose); SQLite's read transaction is one."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def differences():
    """``{name: [message, …]}`` of the checks that found a difference (empty when every figure is right).

    The checks read one snapshot (PostgreSQL: a repeatable-read transaction; SQLite's read transaction is one
    already), so a write committed between a check's recount and its read of the kept rows is no difference.
    """
    found = {}
    with snapshot():
        for name, check in CHECKS.items():
            messages = check()
            if messages:
                found[name] = messages
    return found

