"""Helpers for the demo seeders (``manage.py seed_demo``), which must stay idempotent and cheap on an empty database."""

from django.db import connection
from django.db.models import Max


class Upsert:
    """``update_or_create`` for the rows of ``model``, or a plain ``create`` while its table started out empty.

    Whether the table is empty is asked once, when the seeder starts: on an empty database each row then
    costs its insert (and its history row, its signals) without the look-up and the savepoint
    ``update_or_create`` adds. The keys a seeder passes must not repeat within one run (a unique code),
    or the empty table would get the row twice where ``update_or_create`` would have updated it.
    """

    def __init__(self, model):
        self.model = model
        self.empty = not model._base_manager.exists()

    def __call__(self, defaults=None, **lookup):
        """``(row, created)``, like ``update_or_create``."""
        if self.empty:
            return self.model.objects.create(**lookup, **(defaults or {})), True
        return self.model.objects.update_or_create(defaults=defaults, **lookup)

    def get_or_create(self, defaults=None, **lookup):
        if self.empty:
            return self.model.objects.create(**lookup, **(defaults or {})), True
        return self.model.objects.get_or_create(defaults=defaults, **lookup)


def insert_rows(model, objs):
    """Insert unsaved ``objs`` of ``model`` as ``bulk_create`` would, minus its per-value work; returns their pks.

    One ``INSERT`` sent for all rows (``executemany``); each field's ``pre_save`` runs per row as in
    ``bulk_create`` (``auto_now``), and each distinct value is adapted for the database once. No signals,
    no ``save()``, like ``bulk_create``. The pks are read back as those above the largest before the insert,
    in insertion order: for a seeder, which is the only writer of the table while it runs.
    """
    if not objs:
        return []
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    # Table and column names come from the model's metadata; every value is a parameter.
    insert = (
        f"INSERT INTO {table} ({', '.join(quote(field.column) for field in fields)}) "  # noqa: S608  # nosec B608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    adapted = [{} for _ in fields]

    def prepared(index, field, obj):
        value = field.pre_save(obj, add=True)
        try:
            return adapted[index][value]
        except KeyError:
            result = adapted[index][value] = field.get_db_prep_save(value, connection)
            return result
        except TypeError:  # not hashable
            return field.get_db_prep_save(value, connection)

    before = model._base_manager.aggregate(last=Max("pk"))["last"] or 0
    with connection.cursor() as cursor:
        cursor.executemany(insert, [[prepared(i, field, obj) for i, field in enumerate(fields)] for obj in objs])
    return list(model._base_manager.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
