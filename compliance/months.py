"""Stored monthly figures: each month's record, computed from the history as the month stood at its end.

``record(month)`` computes every indicator for the city, each district and each street (two grouped
evaluations inside one ``timeline.as_of`` block) and replaces the month's stored record in one
transaction. The month-end job (``manage.py record_month``, a cron/systemd timer) and the backfill
(``manage.py backfill_months``, or the bureau's page through a background task) both call it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from compliance import board, rules, selectors, timeline
from compliance.kinds import Context
from compliance.models import Level, MonthFigure, MonthRecord
from core.models import Division
from core.models import Level as DivisionLevel

SIX_PLACES = Decimal("0.000001")


def exact_decimal(number):
    """A pooled sum as a Decimal with at most 6 places; refuses to round (the stored record must be exact)."""
    if number is None:
        return None
    fraction = Fraction(number)
    decimal = (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(SIX_PLACES)
    if Fraction(decimal) != fraction:
        raise ValueError(f"{number} is not exact with 6 decimals")
    return decimal


def _figures(record, rows, level, by_part):
    for row in rows:
        results = [(Level.CITY, "ALL", "全市", row.total)] if level == Level.DISTRICT else []
        results += [(level, part.division.code, part.division.name, part) for part in row.parts]
        for figure_level, code, name, result in results:
            if by_part and row.indicator.city_only and figure_level != Level.CITY:
                continue
            yield MonthFigure(
                record=record, indicator=row.indicator.code, level=figure_level, division_code=code,
                division_name=name, numerator=exact_decimal(result.numerator),
                denominator=exact_decimal(result.denominator), value=result.rounded,
                target=result.figure, comparator=result.comparator if result.figure is not None else "",
                passed=result.passed,
            )


def compute(month, *, targets):
    """``(district rows, street rows)`` as the records stood at the end of ``month`` (None outside the data)."""
    if not timeline.has_data(month):
        return None
    districts = list(Division.objects.filter(level=DivisionLevel.DISTRICT).order_by("code"))
    streets = list(Division.objects.filter(level=DivisionLevel.STREET).order_by("code"))
    ctx = Context(month=month)
    with timeline.as_of(month):
        # Parts as they stood (a district created later has no figure that month).
        district_rows = board.evaluate(targets=targets, ctx=ctx, by="district", parts=districts)
        street_rows = board.evaluate(targets=targets, ctx=ctx, by="street", parts=streets)
    return district_rows, street_rows


@transaction.atomic
def record(month, *, source=MonthRecord.Source.BACKFILL):
    """Compute and store month ``month`` (replacing what was stored); None for a month without data."""
    month = month.replace(day=1)
    plan, targets = selectors.plan_in_force()
    computed = compute(month, targets=targets)
    if computed is None:
        return None
    district_rows, street_rows = computed
    MonthRecord.objects.filter(month=month).delete()
    stored = MonthRecord.objects.create(
        month=month, plan=plan, plan_name=plan.name if plan else "", rules_version=timeline.RULES_VERSION,
        source=source, computed_at=timezone.now(),
    )
    MonthFigure.objects.bulk_create([
        *_figures(stored, district_rows, Level.DISTRICT, by_part=True),
        *_figures(stored, street_rows, Level.STREET, by_part=True),
    ])
    return stored


def backfill(first, last, *, progress=None):
    """Store every month from ``first`` to ``last`` that has data; ``progress(done, total, month)`` after each."""
    months = timeline.months_between(first, last)
    stored = []
    for done, month in enumerate(months, start=1):
        result = record(month)
        if result is not None:
            stored.append(result)
        if progress is not None:
            progress(done, len(months), month)
    return stored


def value_of(figure):
    """The exact value of a stored figure, rebuilt from its sums by the indicator's own rule."""
    if figure.denominator is None and figure.numerator is None:
        return None
    return rules.get(figure.indicator).value(figure.numerator, figure.denominator)


def stored_rows(stored, *, level=Level.DISTRICT, codes=None):
    """A stored month as ``board.Row``s (the city and its districts, or every street), for exports and pages.

    Each figure's target and verdict are the stored ones: the month is shown as it was recorded.
    """
    from types import SimpleNamespace

    figures = {}
    for figure in stored.figures.filter(level__in=[Level.CITY, level]).order_by("division_code"):
        figures.setdefault(figure.indicator, []).append(figure)
    rows = []
    for code, indicator in rules.INDICATORS.items():
        if codes and code not in codes:
            continue
        results = [_result(indicator, figure, SimpleNamespace) for figure in figures.get(code, [])]
        total = next((result for result in results if result.division is None), None)
        parts = [result for result in results if result.division is not None]
        if total is None:
            total = timeline.empty(board.Result(indicator, None, None, None))
        rows.append(board.Row(indicator, total.target, total, parts))
    return rows


def _result(indicator, figure, namespace):
    target = namespace(figure=figure.target, comparator=figure.comparator or indicator.comparator)
    division = None if figure.division_code == "ALL" else namespace(
        code=figure.division_code, name=figure.division_name, pk=figure.division_code,
    )
    result = board.Result(indicator, division, figure.numerator, figure.denominator, target=target)
    if figure.numerator is None and figure.denominator is None:
        timeline.empty(result)
    result.passed = figure.passed  # as recorded
    return result
