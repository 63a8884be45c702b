"""``python -m bench scale`` on a tiny generated province: every page answers, saves are timed both ways and
the rows judge each figure against issue 20's goals."""

from datetime import date

import pytest

from bench import scale
from bench.generate import populate
from bench.rows import scale_rows
from compliance.models import KeptFigure

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny():
    return populate(0.01, today=date(2026, 7, 15))


def test_every_board_level_drill_down_and_change_form_answers(tiny):
    pages = scale.measure_pages(1)
    assert set(pages) >= {"board: whole area (cities)", "board: city (districts)", "board: district (streets)",
                          "board: street (communities), its clerk's", "street page", "drill-down F1 district"}
    assert {page["status"] for page in pages.values()} == {200}
    assert all(page["queries"] > 0 and page["kB"] > 0 for page in pages.values())
    forms = scale.measure_forms(1)
    assert len(forms) == 4 and {form["status"] for form in forms.values()} == {200}


def test_saves_are_timed_with_and_without_kept_figures_and_nothing_is_written(tiny):
    kept_rows = KeptFigure.objects.count()
    saves = scale.measure_saves(2)
    assert set(saves) == {label for label, _model, _how in scale.SAVES}
    for save in saves.values():
        assert save["kept_ms"] > 0 and save["not_kept_ms"] > 0
        assert save["added_ms"] == pytest.approx(save["kept_ms"] - save["not_kept_ms"], abs=0.11)
    assert KeptFigure.objects.count() == kept_rows  # every save was rolled back, the mark too


def test_without_kept_figures_the_saves_say_so(tiny):
    KeptFigure.objects.all().delete()
    assert "keep_figures" in scale.measure_saves(1)["error"]


def _result(board_ms, drill_ms, form_ms, added_ms, queries=9):
    page = {"median_ms": board_ms, "min_ms": board_ms, "queries": queries, "kB": 10, "status": 200}
    return {
        "pages": {"board: city (districts)": page, "street page": {**page, "median_ms": drill_ms}},
        "forms": {"centre": {"median_ms": form_ms, "kB": 40, "status": 200}},
        "saves": {"centre: phone": {"kept_ms": 10 + added_ms, "not_kept_ms": 10.0, "added_ms": added_ms, "runs": 5}},
    }


def test_rows_judge_each_figure_against_issue_20s_goals():
    scales = [(1.0, "one"), (40.0, "big")]
    good = scale_rows(scales, {1.0: _result(40, 60, 90, 5), 40.0: _result(55, 120, 150, 12)})
    assert [row.result for row in good] == ["pass"] * 4
    bad = scale_rows(scales, {1.0: _result(40, 60, 90, 5), 40.0: _result(70, 160, 250, 31, queries=10)})
    assert [row.result for row in bad] == ["FAIL"] * 4  # × 1.75; 160 ms; 250 ms; +31 ms
    slow = scale_rows(scales, {1.0: _result(99, 60, 90, 5), 40.0: _result(101, 60, 90, 5)})
    assert slow[0].result == "FAIL"  # × 1.02 but over 100 ms
