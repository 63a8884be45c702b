"""Helpers for the demo seeders (``manage.py seed_demo``), which must stay idempotent and cheap on an empty database."""


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
