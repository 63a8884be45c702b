"""A query compiled to SQL once per database, then run for every request (with other ids put in place).

The one module that reaches into the ORM's compiler (``get_compiler``, ``as_sql``, ``get_converters``,
``extra_select``/``values_select``/``annotation_select``, ``select``/``col_count``). Those are Django
internals: ``tests/compliance/test_compiled.py`` pins the Django version this was checked against and the
behaviour relied on, and fails on an upgrade until someone has looked again.

Why: the board's SQL depends only on the indicators, the month, the division and the grouping, never on
the data; compiling it (dozens of filtered aggregates) cost a quarter of the matrix's render. A public
detail page's reads (a record by id, its ratings) cost more to compile than to run. Each run
reads the data afresh and converts the values as Django would (``results_iter``'s converters: decimals
on SQLite).

On PostgreSQL the compiled SQL also runs as a prepared statement (``cursor``, ``settings.PREPARED_STATEMENTS``):
the same statement is otherwise parsed, analysed and planned again for every request, and for a public page's
few small reads that cost more than the running. The compliance app's statements pass ``prepare=False``: a save's or an
import's kept figures run many distinct ones (an indicator by a chunk size), which would churn psycopg's 100
prepared statements a connection and pay a round trip more to prepare each, and the boards gained nothing.
PostgreSQL plans a prepared statement for its values five times, then keeps one generic plan if that costs no more
(``plan_cache_mode=auto``): a record read by its id or a list's page is then planned once per connection (their joins
took longer to plan than to run), with the code's constants written into the SQL so that the generic plan sees them
(``written_in``). A statement whose best plan depends on the values put in (a search's words, a box's bounds) asks
to be planned for each run's (``PLANNED_PER_RUN``): a generic plan can't see their selectivity. Only this module's
statements are prepared: the ORM's own SQL is not written to be (Django ticket #20516; ``QuerySet.dates()``
fails with its parameters bound on the server).
"""

import re
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.base import ModelState

#: The parameters a stand-in can be: ids, numbers, and a date compiled in (``replacing=dated(that date, today)``;
#: SQLite's parameter is the date's ISO text).
_REPLACEABLE = (int, float, date, str)

#: What a text stand-in holds (``"stand-in-code"``, a search's pattern ``"%stand-in-0-1%"``). Any other text or yes/no
#: among a prepared statement's parameters is a constant of the code (a status, a kind), written into its SQL
#: (``written_in``).
TEXT_STAND_IN = "stand-in"

_PLACEHOLDERS = re.compile(r"(%%|%s)")

#: The Django releases this module was checked against (major, minor).
CHECKED_WITH = (5, 2)


#: An id no row has: a query compiled for a division of this id is run for any division of the same level by
#: putting the real id in its place among the parameters (``Prepared(..., stand_in=STAND_IN)``).
STAND_IN = -731_000_000_001
#: The same for a positive field (``PositiveBigIntegerField``): a lookup of a value outside a field's range is
#: compiled as matching nothing.
POSITIVE_STAND_IN = 8_731_000_000_000_000_001


#: Ids no row has, one per id of a short list (a chunk of keys, a page of rows): a query for ``count`` ids is
#: compiled once for the first ``size`` of these (the next power of two, ``for_ids``), then run for any ids by
#: putting them in their places (``placed``); the stand-ins past the ids' end stay and match nothing.
MAX_IDS = 500
STAND_INS = [STAND_IN - number for number in range(MAX_IDS)]
_COMPILED = {}


def compiled(key, build, prepare=True):
    """``Prepared(build(), prepare=prepare)``, built and compiled once a process per ``key`` (any hashable); or what
    ``build()`` returns if that is already a ``Prepared``."""
    if key not in _COMPILED:
        if len(_COMPILED) >= 1024:
            _COMPILED.clear()
        built = build()
        _COMPILED[key] = built if isinstance(built, Prepared) else Prepared(built, prepare=prepare)
    return _COMPILED[key]


def for_ids(name, count, build, prepare=True):
    """``Prepared(build(stand_ins))`` for ``count`` ids (at most ``MAX_IDS``): built and compiled once a process per
    ``name`` and size; run it with ``replacing=placed(ids)``."""
    size = min(MAX_IDS, 1 << max(count - 1, 0).bit_length())
    return compiled((name, size), lambda: build(STAND_INS[:size]), prepare=prepare)


#: Numbers no place has (far past any latitude or longitude): the four bounds of a box around a point, compiled in
#: once (``(south, north, west, east)``) and put in their places per request (``boxed``).
BOX_STAND_INS = (-7_310_001.5, -7_310_002.5, -7_310_003.5, -7_310_004.5)


#: The same for a point a query measures from: its latitude, its longitude and the cosine of its latitude.
ORIGIN_STAND_INS = (-7_310_005.5, -7_310_006.5, -7_310_007.5)


def boxed(south, north, west, east):
    """``{stand-in: bound}`` for a query compiled with ``BOX_STAND_INS``."""
    return dict(zip(BOX_STAND_INS, (float(south), float(north), float(west), float(east)), strict=True))


def placed(ids):
    """``{stand-in: id}`` for ids a ``for_ids`` query is run for."""
    return dict(zip(STAND_INS, ids, strict=False))


def _replaced(param, replacing):
    """``param``, or what ``replacing`` puts in its place; an integer keeps the driver's type of it (psycopg's
    ``Int8`` of a big integer field, which a plain int would not)."""
    if not isinstance(param, _REPLACEABLE) or isinstance(param, bool) or param not in replacing:
        return param
    value = replacing[param]
    return param.__class__(value) if isinstance(param, int) else value


def written_in(connection, sql, params):
    """``(sql, params)`` with the code's constants among ``params`` (text that is not a stand-in, yes/no) written into
    ``sql`` as literals, quoted by psycopg; on PostgreSQL, for a statement it prepares.

    Why: a prepared statement keeps a generic plan after five runs only if it costs no more than those planned for
    their values. Bound as a parameter, ``status = 'operating'`` reads as "a status" — a third of the table — and a
    list's generic plan sorted every operating centre instead of reading its partial order index, so PostgreSQL
    planned each run for its values, which cost three times the running (0.65 ms of a list's page at 40×). Written
    in, the generic plan is that plan, and it is kept."""
    if connection.vendor != "postgresql" or not any(_constant(param) for param in params):
        return sql, params
    from psycopg.sql import Literal

    connection.ensure_connection()
    pieces, kept, values = _PLACEHOLDERS.split(sql), [], iter(params)
    for i, piece in enumerate(pieces):
        if piece != "%s":
            continue
        value = next(values)
        if _constant(value):
            pieces[i] = Literal(value).as_string(connection.connection).replace("%", "%%")
        else:
            kept.append(value)
    return "".join(pieces), kept


def _constant(param):
    return isinstance(param, bool) or (isinstance(param, str) and TEXT_STAND_IN not in param)


def dated(stand_in, actual):
    """``replacing`` entries that put the date ``actual`` where ``stand_in`` was compiled, as either backend sends it
    (a date to psycopg, its ISO text to SQLite)."""
    return {stand_in: actual, stand_in.isoformat(): actual.isoformat()}


def as_instances(model, db, rows):
    """Records of ``model`` from rows of ``{column: value}`` (``Prepared.records``, all with the same columns): what
    ``Model.from_db`` builds — the model's own columns set, the rest of them deferred, ``_state`` not adding and
    on ``db`` — with every other column set as an attribute. Built as a queryset's rows are, without
    ``Model.__init__``'s walk over every field of the model for each (a card's row names a tenth of a centre's
    fields: half the time of turning a page's rows into records). No project model listens to ``post_init``."""
    records = []
    for row in rows:
        record = model.__new__(model)
        state = record._state = ModelState()
        state.adding, state.db = False, db
        record.__dict__.update(row)
        records.append(record)
    return records


#: ``Prepared(prepare=PLANNED_PER_RUN)``: a statement whose best plan depends on the values put in (a search's
#: words, a box's bounds), prepared — parsed once per connection — and planned for each run's values: sent in one
#: round trip after ``SET LOCAL plan_cache_mode = force_custom_plan``, which lasts until the end of the statement's
#: (implicit) transaction. Left to PostgreSQL (``auto``), it would switch to one generic plan after five runs, which
#: can't see a word's or a box's selectivity: the one search at 40× read the whole table, 75 ms instead of 8.
PLANNED_PER_RUN = "planned per run"
_PLANNED_PER_RUN = "SET LOCAL plan_cache_mode = force_custom_plan"


def _planned_per_run(connection, runs):
    """Run each ``(cursor, sql, params)`` of ``runs`` prepared and planned for its values: one pipeline, one round
    trip — the setting, then the statements, in one implicit transaction."""
    with connection.wrap_database_errors, connection.connection.pipeline():
        connection.connection.execute(_PLANNED_PER_RUN, prepare=False)
        for running, sql, params in runs:
            running.execute(sql, params)


def _converted(connection, fetched, converters):
    """The rows ``fetched``, each a list, with Django's converters applied (``results_iter``'s)."""
    rows = []
    for values in map(list, fetched):
        for position, functions, expression in converters:
            for function in functions:
                values[position] = function(values[position], expression, connection)
        rows.append(values)
    return rows


def records_together(runs):
    """``[query.records(replacing=replacing) for query, replacing in runs]``. When every query is planned per run
    (``PLANNED_PER_RUN``) and the connection prepares, all are sent in one pipeline: one setting and one round trip
    for all of them (the one search's overview reads its three kinds so)."""
    bound = [query._bound(replacing=replacing) for query, replacing in runs]
    sent = [each for each in bound if each is not None]
    if not sent or any(query.prepare != PLANNED_PER_RUN for query, _replacing in runs) \
            or len({id(each[0]) for each in sent}) > 1 or not prepares(sent[0][0]):
        return [query.records(replacing=replacing) for query, replacing in runs]
    connection = sent[0][0]
    cursors = [cursor(connection) for _each in sent]
    try:
        _planned_per_run(connection, [(running, sql, params) for running, (_c, sql, params, _n, _v)
                                      in zip(cursors, sent, strict=True)])
        read = iter([[dict(zip(names, values, strict=True)) for values in _converted(connection, running.fetchall(),
                                                                                     converters)]
                     for running, (_c, _s, _p, names, converters) in zip(cursors, sent, strict=True)])
    finally:
        for running in cursors:
            running.close()
    return [[] if each is None else next(read) for each in bound]


def prepares(connection):
    """Whether ``cursor`` gives ``connection`` a cursor that prepares what it runs."""
    return connection.vendor == "postgresql" and settings.PREPARED_STATEMENTS and not _unprepared(connection)


def cursor(connection):
    """A cursor for SQL compiled once and run again and again: on PostgreSQL with ``settings.PREPARED_STATEMENTS``,
    one that binds its parameters on the server and runs the statement prepared — planned once per connection
    (psycopg keeps the connection's last 100), not once per request. Otherwise the connection's own cursor.

    Wrapped as ``connection.cursor()`` wraps its own, so that query logging and counting (``CaptureQueriesContext``)
    see these statements too.
    """
    if not prepares(connection):
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    preparing, logged = _preparing_classes()
    with connection.wrap_database_errors:
        raw = preparing(connection.connection)
        return logged(raw, connection) if connection.queries_logged else connection.make_cursor(raw)


@contextmanager
def unprepared(connection):
    """Inside the block, ``cursor`` gives ``connection``'s own cursor: for a block that shadows tables with temporary
    ones of the same name (``compliance.timeline.as_of``). A statement prepared before it would still read the
    tables it was planned on; PostgreSQL doesn't plan it again for a new table that takes the name."""
    before = _unprepared(connection)
    connection.compiled_unprepared = True
    try:
        yield
    finally:
        connection.compiled_unprepared = before


def _unprepared(connection):
    return getattr(connection, "compiled_unprepared", False)


_PREPARING = []


def _preparing_classes():
    """Django's server-binding cursor (its ``server_side_binding`` option's), always preparing what it runs; and
    the debug wrapper that logs its statements as the connection's own cursors log theirs, values written in (the
    server-bound statement's text has only ``$1``, ``$2``…: two runs with different values would read alike)."""
    if not _PREPARING:
        from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
        from django.db.backends.utils import CursorWrapper

        class PreparingCursor(ServerBindingCursor):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                return super().execute(query, params, prepare=True, binary=binary)

        class LoggedCursor(CursorDebugWrapper):
            def execute(self, sql, params=None):
                with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
                    return CursorWrapper.execute(self, sql, params)

        _PREPARING.extend((PreparingCursor, LoggedCursor))
    return _PREPARING


class Prepared:
    """A ``values(...).annotate(...)`` QuerySet whose rows are read as ``{group: {column: value}}``.

    With ``stand_in``, the queryset was built for a division whose id is ``stand_in``; ``rows(division_id=…)``
    and ``column(division_id=…)`` run it for another division (the parameter replaced, the SQL as compiled).
    """

    def __init__(self, queryset, key="group", stand_in=None, prepare=True, around=None):
        self.queryset = queryset
        self.key = key
        self.stand_in = stand_in
        # As a prepared statement (``cursor``); ``PLANNED_PER_RUN``: prepared, and planned for each run's values;
        # False: the connection's own cursor.
        self.prepare = prepare
        # ``(template, added)``: the compiled query read through a statement around it, ``{query}`` in ``template``
        # its place, which selects its columns in their order (``*``) and then the columns named ``added``.
        self.around = around
        self._compiled = {}

    def _compile(self, connection):
        query = self.queryset.query
        compiler = query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        if self.around is not None:
            template, added = self.around
            sql, names = template.format(query=sql), [*names, *added]
        if self.prepare is True:  # one plan kept: it sees the code's constants (a planned-per-run one sees them all)
            sql, params = written_in(connection, sql, params)
        converters = compiler.get_converters([column[0] for column in compiler.select[:compiler.col_count]])
        return sql, params, names, [(position, *pair) for position, pair in converters.items()]

    def _bound(self, division_id=None, replacing=None):
        """``(connection, sql, params, names, converters)`` of a run; None for a query that can match nothing.
        ``replacing`` (``{stand-in: value}``) puts values in place of stand-ins among the parameters;
        ``division_id`` is the value of the one ``stand_in`` the queryset was built with."""
        connection = connections[self.queryset.db]
        cache_key = (connection.alias, connection.vendor)
        if cache_key not in self._compiled:
            self._compiled[cache_key] = self._compile(connection)
        if self._compiled[cache_key] is None:
            return None
        sql, params, names, converters = self._compiled[cache_key]
        if self.stand_in is not None:
            replacing = {self.stand_in: division_id}
        if replacing:
            params = [_replaced(param, replacing) for param in params]
        return connection, sql, params, names, converters

    def _fetch(self, division_id=None, replacing=None):
        """``(names, [values…])`` read now, converted; None for a query that can match nothing (``_bound``)."""
        bound = self._bound(division_id, replacing)
        if bound is None:
            return None
        connection, sql, params, names, converters = bound
        with (cursor(connection) if self.prepare else connection.cursor()) as running:
            if self.prepare == PLANNED_PER_RUN and prepares(connection):
                _planned_per_run(connection, [(running, sql, params)])
            else:
                running.execute(sql, params)
            fetched = running.fetchall()
        return names, _converted(connection, fetched, converters)

    def rows(self, division_id=None, replacing=None):
        """``{key: {column: value}}``, read now."""
        fetched = self._fetch(division_id, replacing)
        if fetched is None:
            return {}
        names, rows = fetched
        rows = [dict(zip(names, values, strict=True)) for values in rows]
        return {row[self.key]: row for row in rows}

    def records(self, division_id=None, replacing=None):
        """Every row as ``{column: value}``, in the query's order, read now (``values(…)``)."""
        fetched = self._fetch(division_id, replacing)
        if fetched is None:
            return []
        names, rows = fetched
        return [dict(zip(names, values, strict=True)) for values in rows]

    def instances(self, model, replacing=None):
        """Records of ``model`` from a ``values(…)`` queryset's rows: the model's own columns through ``from_db``
        (the rest of them deferred), every other column (an annotation) set as an attribute."""
        return as_instances(model, self.queryset.db, self.records(replacing=replacing))

    def instance(self, model, pk):
        """The record of ``model`` whose id is put in place of ``STAND_IN`` (``instances``), or None."""
        found = self.instances(model, replacing={STAND_IN: int(pk)})
        return found[0] if found else None

    def tuples(self, replacing=None):
        """Every row's values, read now (``values_list(…)``)."""
        fetched = self._fetch(None, replacing)
        return [] if fetched is None else fetched[1]

    def column(self, division_id=None, replacing=None):
        """The first selected column of every row, read now (``values_list(one field)``)."""
        fetched = self._fetch(division_id, replacing)
        return [] if fetched is None else [values[0] for values in fetched[1]]
