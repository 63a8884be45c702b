"""The holiday calendar must not run out silently.

The State Council publishes next year's holidays and make-up workdays (调休) late in the year, and the
``chinesecalendar`` package follows later still. From 1 October the bureau's pages warn until next
year has at least one calendar row (entered in the admin or by ``load_holidays``).
"""

from core.caching import cached_public
from core.models import Holiday

WARN_FROM_MONTH = 10


def missing_year(today):
    """Next year, if it is time to have its calendar and none is entered; else None."""
    if today.month < WARN_FROM_MONTH:
        return None
    year = today.year + 1
    present = cached_public(f"holiday-year-{year}", lambda: Holiday.objects.filter(date__year=year).exists())
    return None if present else year
