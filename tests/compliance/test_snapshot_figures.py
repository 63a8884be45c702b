"""Snapshots hold typed figures, and snapshots stored before as CSV texts are converted (and back)."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from compliance import comparison
from compliance.comparison import Figure
from compliance.models import Snapshot

pytestmark = pytest.mark.django_db

typed_json = importlib.import_module("compliance.migrations.0004_snapshot_figures_typed_json")


def _apps():
    return MigrationLoader(connection).project_state().apps


def test_a_snapshot_stored_as_csv_texts_becomes_typed_figures_and_back(rita):
    texts = {"F1": {"ALL": ["52.50", "100", "0"], "110101000000": ["", "", ""]}, "F3": {"ALL": ["31.00", "30", "1"]}}
    snapshot = Snapshot.objects.create(name="旧快照", plan_name="规划", month="2023-12", data=texts, created_by=rita)
    typed_json.forwards(_apps(), None)
    snapshot.refresh_from_db()
    assert snapshot.data == {
        "F1": {"ALL": {"value": "52.50", "target": "100", "passed": False},
               "110101000000": {"value": None, "target": None, "passed": None}},
        "F3": {"ALL": {"value": "31.00", "target": "30", "passed": True}},
    }
    typed_json.forwards(_apps(), None)  # run twice: already typed figures stay as they are
    snapshot.refresh_from_db()
    assert snapshot.data["F3"]["ALL"]["passed"] is True
    typed_json.backwards(_apps(), None)
    snapshot.refresh_from_db()
    assert snapshot.data == texts


def test_a_figure_reads_back_what_it_wrote_exactly():
    figure = Figure(Decimal("0.00"), Decimal("100"), False)
    assert figure.json() == {"value": "0.00", "target": "100", "passed": False}
    assert Figure.from_json(figure.json()) == figure
    assert Figure.from_json(None) == Figure() and Figure().value_text == "" and Figure().verdict == "—"
    assert figure.value_text == "0.00" and figure.verdict == "未达标"


def test_snapshot_diff_says_what_changed_since_the_snapshot(city, rita, make_centre):
    from compliance import selectors

    _plan, targets = selectors.plan_in_force()
    ctx = comparison.Context(month=date(2025, 6, 1))
    data = comparison.figures_json(selectors.city_board(ctx=ctx, targets=targets))
    snapshot = Snapshot.objects.create(name="2025-06", plan_name="规划", month="2025-06", data=data, created_by=rita)
    assert not any(line.differs for line in comparison.snapshot_diff(snapshot))
    make_centre(city["community_c"])
    changed = {(line.indicator.code, line.division): line for line in comparison.snapshot_diff(snapshot) if line.differs}
    f1 = changed[("F1", city["district2"].name)]
    assert (f1.old.value, f1.new.value, f1.direction, f1.changed) == (Decimal("0.00"), Decimal("100.00"), "up", True)
    assert f1.old.verdict == "未达标" and f1.new.verdict == "达标"
