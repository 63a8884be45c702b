"""When does it open next? Today's hours in words and the next opening, on the official calendar.

Shared by the residents' pages (search, near me); follows ``core.opening``: holidays use holiday
hours (or Saturday's) only for facilities that open on holidays, make-up workdays (调休) Monday's.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils.translation import gettext as _

from core.hours import WEEKDAY_LABELS, parse_hours
from core.opening import SHANGHAI, calendar_days, hours_on, local_now

#: How far ahead the next opening is looked for (a facility closed longer than this says so).
LOOKAHEAD_DAYS = 8
ROUND_THE_CLOCK = "00:00-23:59"  # “24:00” is stored as 23:59 (core.hours)


@dataclass(frozen=True)
class Opening:
    day: date
    at: time
    today: date

    def __str__(self):
        when = f"{self.at:%H:%M}"
        offset = (self.day - self.today).days
        if offset == 0:
            return _("今天 %(time)s 开放") % {"time": when}
        if offset == 1:
            return _("明天 %(time)s 开放") % {"time": when}
        if offset == 2:
            return _("后天 %(time)s 开放") % {"time": when}
        return _("%(weekday)s（%(month)s月%(day)s日）%(time)s 开放") % {
            "weekday": WEEKDAY_LABELS[self.day.weekday()], "month": self.day.month, "day": self.day.day, "time": when,
        }


def describe_hours(stored):
    """A day's stored hours as a resident reads them: “24 小时”, “休息”, or the intervals."""
    if not stored:
        return _("休息")
    if stored == ROUND_THE_CLOCK:
        return _("24 小时")
    return stored


def upcoming_days(moment=None):
    """The calendar rows for today and the look-ahead window: one query for a whole page."""
    today = (moment or local_now()).astimezone(SHANGHAI).date()
    return calendar_days(today, today + timedelta(days=LOOKAHEAD_DAYS))


def next_opening(obj, moment=None, days=None):
    """The next moment ``obj`` opens after ``moment`` (an ``Opening``), or None within the look-ahead.

    Called for something closed now; for something open it gives its next interval's start.
    """
    moment = (moment or local_now()).astimezone(SHANGHAI)
    today = moment.date()
    days = upcoming_days(moment) if days is None else days
    now = moment.time().replace(second=0, microsecond=0)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = today + timedelta(days=offset)
        for interval in parse_hours(hours_on(obj, day, days.get(day))):
            if offset > 0 or interval.start > now:
                return Opening(day=day, at=interval.start, today=today)
    return None


def annotate_opening(objects, moment=None, days=None):
    """Attach ``today_hours`` (words), ``is_open`` and ``next_open`` (str or "") to each object, no queries
    beyond the one calendar read (pass ``days`` to share it)."""
    moment = (moment or local_now()).astimezone(SHANGHAI)
    days = upcoming_days(moment) if days is None else days
    today = moment.date()
    special = days.get(today)
    now = moment.time().replace(second=0, microsecond=0)
    for obj in objects:
        stored = hours_on(obj, today, special)
        obj.today_hours = describe_hours(stored)
        obj.is_open = any(interval.contains(now) for interval in parse_hours(stored))
        if stored == ROUND_THE_CLOCK and _round_the_clock_tomorrow(obj, today, days):
            obj.is_open = True  # 23:59 is midnight: open through it
        opening = None if obj.is_open else next_opening(obj, moment, days)
        obj.next_open = str(opening) if opening else ""
    return objects


def _round_the_clock_tomorrow(obj, today, days):
    tomorrow = today + timedelta(days=1)
    return hours_on(obj, tomorrow, days.get(tomorrow)) == ROUND_THE_CLOCK
