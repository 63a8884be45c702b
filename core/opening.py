"""Is it open? Opening hours on a given date, following the official calendar.

On a public holiday a facility that opens on holidays uses its holiday hours,
or its Saturday hours when it has none; other facilities are closed. A make-up
workday (调休上班) uses the Monday hours. Times are Asia/Shanghai.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.utils import timezone

from core import reference
from core.hours import WEEKDAY_FIELDS, WEEKDAY_LABELS, parse_hours
from core.models import Holiday

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_now():
    return timezone.now().astimezone(SHANGHAI)


def _calendar():
    """``{date: Holiday}`` of every calendar row (a few dozen a year), kept in this process (core.reference)."""
    return reference.kept("holidays", lambda: {holiday.date: holiday for holiday in Holiday.objects.all()})


def special_day(day):
    """The calendar row of ``day`` (holiday or make-up workday), or None: at most one query for a whole page.

    The one "today's holiday" lookup of the public pages (a list reads it once for all its rows)."""
    return _calendar().get(day)


def calendar_days(start, end):
    """``{date: Holiday}`` for the special days between start and end inclusive (at most one query)."""
    return {day: holiday for day, holiday in _calendar().items() if start <= day <= end}


def _hours_field(obj_open_on_holidays, has_holiday_hours, day, special):
    """Which stored field applies on ``day`` (None: closed because it's a holiday)."""
    if special is not None and special.kind == Holiday.DayKind.HOLIDAY:
        if not obj_open_on_holidays:
            return None
        return "hours_holiday" if has_holiday_hours else "hours_sat"
    if special is not None and special.kind == Holiday.DayKind.WORKDAY:
        return "hours_mon"
    return WEEKDAY_FIELDS[day.weekday()]


def hours_on(obj, day, special=None):
    """The stored hours text of ``obj`` on ``day`` (``""`` = closed). ``special`` is that day's Holiday row."""
    field = _hours_field(obj.open_on_holidays, bool(obj.hours_holiday), day, special)
    return getattr(obj, field) if field else ""


def is_open_at(obj, moment=None, special=None, *, lookup=True):
    """Whether ``obj`` is open at ``moment`` (aware datetime; default now)."""
    moment = (moment or local_now()).astimezone(SHANGHAI)
    day = moment.date()
    if special is None and lookup:
        special = special_day(day)
    now = moment.time().replace(second=0, microsecond=0)
    return any(interval.contains(now) for interval in parse_hours(hours_on(obj, day, special)))


def annotate_today(objects, moment, special):
    """Each of ``objects`` (a page of rows) with ``today_hours`` (the stored text) and ``is_open`` at
    ``moment``; ``special`` is that day's calendar row (``special_day``). No queries: the public lists' one
    way of saying "open now"."""
    objects = list(objects)
    moment = moment.astimezone(SHANGHAI)
    day, now = moment.date(), moment.time().replace(second=0, microsecond=0)
    for obj in objects:
        obj.today_hours = hours_on(obj, day, special)
        obj.is_open = any(interval.contains(now) for interval in parse_hours(obj.today_hours))
    return objects


def week_schedule(obj, start=None, days=None):
    """Seven days from ``start`` (default today): dicts of date, label, hours, special day, is_today."""
    today = local_now().date()
    start = start or today
    end = start + timedelta(days=6)
    days = calendar_days(start, end) if days is None else days
    schedule = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        special = days.get(day)
        schedule.append(
            {
                "date": day,
                "label": WEEKDAY_LABELS[day.weekday()],
                "hours": hours_on(obj, day, special),
                "special": special,
                "is_today": day == today,
            }
        )
    return schedule


def _interval_q(field, hhmm):
    """Stored ``field`` has an interval containing ``hhmm`` (zero-padded text compares as time)."""
    first = Q(**{f"{field}__gte": ""}) & Q(
        **{f"_open_{field}_s1__lte": hhmm, f"_open_{field}_e1__gt": hhmm}
    )
    second = Q(**{f"_open_{field}_len__gt": 11}) & Q(
        **{f"_open_{field}_s2__lte": hhmm, f"_open_{field}_e2__gt": hhmm}
    )
    return first | second


def _annotations(field):
    return {
        f"_open_{field}_s1": Substr(field, 1, 5),
        f"_open_{field}_e1": Substr(field, 7, 5),
        f"_open_{field}_s2": Substr(field, 13, 5),
        f"_open_{field}_e2": Substr(field, 19, 5),
        f"_open_{field}_len": Length(field),
    }


def filter_open_at(queryset, moment=None, special=None, *, lookup=True):
    """Narrow a WeeklyHours queryset to what is open at ``moment`` — in the database, one query.

    ``special`` is that day's calendar row when the caller has read it already (``lookup=False``)."""
    moment = (moment or local_now()).astimezone(SHANGHAI)
    day = moment.date()
    if special is None and lookup:
        special = special_day(day)
    hhmm = moment.strftime("%H:%M")
    if special is not None and special.kind == Holiday.DayKind.HOLIDAY:
        queryset = queryset.annotate(**_annotations("hours_holiday"), **_annotations("hours_sat"))
        return queryset.filter(open_on_holidays=True).filter(
            (~Q(hours_holiday="") & _interval_q("hours_holiday", hhmm))
            | (Q(hours_holiday="") & _interval_q("hours_sat", hhmm))
        )
    field = "hours_mon" if special is not None else WEEKDAY_FIELDS[day.weekday()]
    return queryset.annotate(**_annotations(field)).filter(_interval_q(field, hhmm))


def at(year, month, day, hour=0, minute=0):
    """An aware Asia/Shanghai datetime (for tests and callers that think in local time)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)





def next_minute(moment):
    """The start of the minute after ``moment``: when a list filtered by "open now" may change."""
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


def next_change(objects, moment, special=None):
    """The first moment after ``moment`` (today) at which one of ``objects`` opens or closes, or None.

    A page showing "open now" for these objects stays true until then (or midnight, when today's
    hours change): the public page cache keeps it that long.
    """
    moment = moment.astimezone(SHANGHAI)
    day, now = moment.date(), moment.time().replace(second=0, microsecond=0)
    boundaries = set()
    for obj in objects:
        for interval in parse_hours(hours_on(obj, day, special)):
            boundaries.update(edge for edge in (interval.start, interval.end) if edge > now)
    if not boundaries:
        return None
    return datetime.combine(day, min(boundaries), tzinfo=SHANGHAI)
