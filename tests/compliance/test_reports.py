"""The evaluation's verdicts: progress from the baseline, the 2023 milestone, the straight line, the final year."""

from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from compliance.reports import judge


def target(figure="100", comparator=">=", midterm=None, baseline_year=2020):
    return SimpleNamespace(figure=Decimal(figure), comparator=comparator, baseline_year=baseline_year,
                           midterm=None if midterm is None else Decimal(midterm))


def result(value, passed):
    return SimpleNamespace(value=Fraction(value), figure=Decimal("100"), passed=passed)


@pytest.mark.parametrize(("value", "midterm", "verdict"), [
    ("70", "70", "进度正常"),  # exactly the milestone
    ("69.99", "70", "滞后"),
])
def test_the_2023_milestone_decides_between_on_track_and_lagging(value, midterm, verdict):
    _progress, said, lagging = judge(result=result(value, False), target=target(midterm=midterm), baseline=Decimal("40"),
                                    month=date(2023, 12, 1), year=2023)
    assert said == verdict and lagging == (verdict == "滞后")


def test_without_a_milestone_progress_is_compared_with_the_time_elapsed():
    # End of 2023 with a 2020 baseline: 36 of 60 months, 60 % of the way expected.
    on_line = judge(result=result("76", False), target=target(), baseline=Decimal("40"), month=date(2023, 12, 1),
                    year=2023)
    below = judge(result=result("75.9", False), target=target(), baseline=Decimal("40"), month=date(2023, 12, 1),
                  year=2023)
    assert on_line[0] == Decimal("60.00") and on_line[1] == "进度正常"
    assert below[1] == "滞后"


def test_a_passing_figure_is_met_and_a_failing_one_lags_at_the_final_evaluation():
    assert judge(result=result("100", True), target=target(), baseline=Decimal("40"), month=date(2025, 12, 1),
                 year=2025)[1:] == ("已达标", False)
    assert judge(result=result("99", False), target=target(midterm="50"), baseline=Decimal("40"),
                 month=date(2025, 12, 1), year=2025)[1:] == ("滞后", True)


def test_no_progress_is_given_when_the_baseline_already_met_the_target():
    progress, verdict, _lagging = judge(result=result("95", False), target=target(), baseline=Decimal("100"),
                                        month=date(2023, 12, 1), year=2023)
    assert progress is None and verdict == "滞后"


def test_no_value_is_no_data_and_no_target_is_said():
    empty = SimpleNamespace(value=None, figure=None, passed=None)
    assert judge(result=empty, target=target(), baseline=None, month=date(2023, 12, 1), year=2023)[1] == "无数据"
    assert judge(result=result("5", None), target=None, baseline=None, month=date(2023, 12, 1), year=2023)[1] == "不设目标"
