"""Calendar months: the one definition of a month's bounds (E5's visit month, the reporting month, as-of dates)."""

import calendar
import re
from datetime import date, timedelta

#: A month as forms, query strings and commands write it: ``YYYY-MM``.
MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def parse_month(text):
    """``"YYYY-MM"`` → the first day of that month; ValueError for anything else (``2025-6``, ``2025-13``)."""
    match = MONTH.fullmatch(text or "")
    if match is None:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return date(int(match[1]), int(match[2]), 1)


def month_bounds(month):
    """``(first day, last day)`` — both inclusive — of a month given as a ``date`` in it or ``"YYYY-MM"``."""
    if isinstance(month, str):
        year, number = (int(part) for part in month.split("-"))
        month = date(year, number, 1)
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def last_full_month(today=None):
    """The first day of the month before ``today``'s (the month a report or an evaluation is about)."""
    today = today or date.today()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
