"""Calendar months: the one definition of a month's bounds (E5's visit month, the reporting month, as-of dates)."""

import calendar
from datetime import date, timedelta


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
