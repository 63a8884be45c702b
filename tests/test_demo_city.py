"""The demo city's copy (``tests/demo_city.py``) is exactly what ``seed_demo`` writes."""

import pytest
from django.db import IntegrityError, transaction

from facilities.models import Centre
from tests import demo_city


@pytest.mark.django_db
def test_the_copy_of_the_demo_city_leaves_every_table_as_the_seeding_does(monkeypatch):
    demo_city._KEPT.clear()
    with transaction.atomic():
        demo_city.seed()
        seeded = demo_city.dump()
        transaction.set_rollback(True)

    def not_again(*args, **kwargs):
        raise AssertionError("seed_demo ran again instead of the copy")

    monkeypatch.setattr(demo_city, "call_command", not_again)
    with transaction.atomic():
        demo_city.seed()
        copied = demo_city.dump()
        centre = Centre.objects.order_by("pk").last()
        centre.pk, centre.code = None, "COPY-1"
        try:
            centre.save()  # a new row after the copied ones: its id does not collide
        except IntegrityError as error:
            pytest.fail(f"a save after the copy collided: {error}")
        transaction.set_rollback(True)
    assert copied.keys() == seeded.keys()
    different = [table for table in seeded if copied[table] != seeded[table]]
    assert different == []
    assert sum(len(rows) for _, rows in seeded.values()) > 1000  # the demo city, not an empty database


@pytest.mark.django_db
def test_onto_a_different_state_the_seeding_runs_instead_of_the_copy(monkeypatch):
    calls = []
    monkeypatch.setattr(demo_city, "_KEPT", {"sqlite": ({}, {}), "postgresql": ({}, {})})
    monkeypatch.setattr(demo_city, "call_command", lambda *args, **kwargs: calls.append(args))
    demo_city.seed()
    assert calls == [("seed_demo",)]
