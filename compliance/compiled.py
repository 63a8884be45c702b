"""A grouped query compiled to SQL once per database, then run for every request.

The one module that reaches into the ORM's compiler (``get_compiler``, ``as_sql``, ``get_converters``,
``extra_select``/``values_select``/``annotation_select``, ``select``/``col_count``). Those are Django
internals: ``tests/compliance/test_compiled.py`` pins the Django version this was checked against and the
behaviour relied on, and fails on an upgrade until someone has looked again.

Why: the board's SQL depends only on the indicators, the month, the division and the grouping, never on
the data; compiling it (dozens of filtered aggregates) cost a quarter of the matrix's render. Each run
reads the data afresh and converts the values as Django would (``results_iter``'s converters: decimals
on SQLite).
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections

#: The Django releases this module was checked against (major, minor).
CHECKED_WITH = (5, 2)


class Prepared:
    """A ``values(...).annotate(...)`` QuerySet whose rows are read as ``{group: {column: value}}``."""

    def __init__(self, queryset, key="group"):
        self.queryset = queryset
        self.key = key
        self._compiled = {}

    def _compile(self, connection):
        query = self.queryset.query
        compiler = query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        converters = compiler.get_converters([column[0] for column in compiler.select[:compiler.col_count]])
        return sql, params, names, [(position, *pair) for position, pair in converters.items()]

    def rows(self):
        """``{key: {column: value}}``, read now."""
        connection = connections[self.queryset.db]
        cache_key = (connection.alias, connection.vendor)
        if cache_key not in self._compiled:
            self._compiled[cache_key] = self._compile(connection)
        if self._compiled[cache_key] is None:
            return {}
        sql, params, names, converters = self._compiled[cache_key]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        rows = {}
        for values in map(list, fetched):
            for position, functions, expression in converters:
                for function in functions:
                    values[position] = function(values[position], expression, connection)
            row = dict(zip(names, values, strict=True))
            rows[row[self.key]] = row
        return rows
