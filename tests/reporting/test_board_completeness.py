"""The board's reporting row counted in the database (columns above streets) against each street's own line."""

import datetime

import pytest
from django.utils import timezone

from core.models import Division, Kind, Level
from reporting import selectors, services
from reporting.models import Period
from tests.personas import make_division

JUNE = datetime.date(2025, 6, 1)
DEADLINE = datetime.date(2025, 7, 5)
NEXT_DAY = DEADLINE + datetime.timedelta(days=1)
FIELDS = ("streets", "submitted", "on_time", "late", "missing", "pending", "approved", "returned")


def _period(street, when=None, **state):
    """June of ``street``: first submitted at ``when`` (a local date and time), with ``state`` (status, returns)."""
    period = services.get_period(street, JUNE)
    first = None if when is None else timezone.make_aware(datetime.datetime.combine(*when))
    Period.objects.filter(pk=period.pk).update(first_submitted_at=first, **state)


@pytest.fixture
def board(city):
    """District 1: on time at 23:59 of the deadline day and approved; late at 00:01 the next day and returned;
    the town's period open. District 2: on time, accepted after a return; a new street without a period."""
    _period(city["street_a"], (DEADLINE, datetime.time(23, 59)), status="approved")
    _period(city["street_b"], (NEXT_DAY, datetime.time(0, 1)), status="submitted", returned_count=1)
    _period(city["town"])
    _period(city["street_c"], (DEADLINE, datetime.time(9)), status="accepted", returned_count=2)
    make_division("230321002000", "新街道", Kind.STREET, city["district2"])
    return city


def _counts(tally):
    return tuple(getattr(tally, name) for name in FIELDS)


def _per_street(within, by, today):
    """Today's per-street path (the street columns' lines), tallied in Python by the ``by`` ancestor."""
    total, _lines = selectors.board_completeness(JUNE, within, by=Level.STREET, today=today)
    if by is None:
        return _counts(total), {}
    upper = dict(Division.objects.streets().values_list("pk", by))
    tallies = {}
    for line in total.lines:
        tallies.setdefault(upper[line.street], selectors.Tally(None)).add(line)
    return _counts(total), {pk: _counts(tally) for pk, tally in tallies.items()}


@pytest.mark.parametrize("today", [DEADLINE, NEXT_DAY])
@pytest.mark.parametrize("by", [None, Level.DISTRICT, Level.CITY, Level.PROVINCE])
@pytest.mark.parametrize("within", [None, "district", "district2", "street_a"])
def test_the_grouped_tallies_equal_the_per_street_ones(board, within, by, today):
    within = board[within] if within else None
    total, tallies = selectors.board_completeness(JUNE, within, by=by, today=today)
    assert (_counts(total), {pk: _counts(tally) for pk, tally in tallies.items()}) == _per_street(within, by, today)
    assert total.lines == [] and total.division == within


def test_the_deadline_day_ends_at_local_midnight(board):
    """23:59 on the deadline day is on time, 00:01 the next day late; missing and pending turn on ``today``."""
    total, tallies = selectors.board_completeness(JUNE, None, by=Level.DISTRICT, today=NEXT_DAY)
    assert _counts(total) == (5, 3, 2, 1, 2, 0, 2, 2)
    assert _counts(tallies[board["district"].pk]) == (3, 2, 1, 1, 1, 0, 1, 1)
    assert _counts(tallies[board["district2"].pk]) == (2, 1, 1, 0, 1, 0, 1, 1)
    before, _none = selectors.board_completeness(JUNE, None, today=DEADLINE)
    assert (before.missing, before.pending, before.submit_rate, before.timely_rate) == (0, 2, 60.0, 40.0)
    city_tally, _districts = selectors.completeness(JUNE, today=NEXT_DAY)
    assert _counts(city_tally) == _counts(total)


@pytest.mark.parametrize("by", [None, Level.DISTRICT, Level.STREET])
def test_the_boards_reporting_row_is_one_query_whatever_the_streets(board, by, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.board_completeness(JUNE, None, by=by, today=NEXT_DAY)
    for number in range(4):
        street = make_division(f"23030210{number}000", f"又一街道{number}", Kind.STREET, board["district"])
        _period(street, (DEADLINE, datetime.time(8)))
    with django_assert_num_queries(1):
        total, _tallies = selectors.board_completeness(JUNE, board["district"], by=by, today=NEXT_DAY)
    assert (total.streets, total.on_time) == (7, 5)
