"""Weekly opening hours: parsing, normalised storage and database constraints.

A day's hours are stored as normalised text, exactly as the data-exchange
workbook writes them: ``""`` (closed) or one or two ``HH:MM-HH:MM`` intervals
separated by a comma, e.g. ``08:30-11:30,13:30-17:30``. Because the text is
zero-padded, string comparison is time comparison, which lets the database
itself refuse an interval that ends before it starts or two that overlap.
"""

import re
from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr
from django.db.models.lookups import LessThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

CLOSED_WORDS = {"", "休息", "闭馆", "关闭", "closed", "-", "—", "无"}
MAX_INTERVALS = 2
_FULLWIDTH = str.maketrans({"，": ",", "；": ",", ";": ",", "：": ":", "－": "-", "—": "-", "–": "-", "～": "-", "~": "-", "、": ","})
_INTERVAL = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
HOURS_REGEX = r"^([0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9](,[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9])?)?$"

WEEKDAY_FIELDS = ("hours_mon", "hours_tue", "hours_wed", "hours_thu", "hours_fri", "hours_sat", "hours_sun")
WEEKDAY_LABELS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
FULL_DAY_MINUTES = 8 * 60


@dataclass(frozen=True)
class Interval:
    start: time
    end: time

    @property
    def minutes(self):
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    def contains(self, moment):
        return self.start <= moment < self.end

    def __str__(self):
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _parse_time(hour, minute, raw):
    hour, minute = int(hour), int(minute)
    if hour == 24 and minute == 0:
        return time(23, 59)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValidationError(_("“%(value)s” 不是有效的时间。"), code="invalid_time", params={"value": raw})
    return time(hour, minute)


def parse_hours(raw):
    """Parse what a person types into a list of intervals; ``[]`` means closed.

    Accepts full-width punctuation and spaces; refuses more than two intervals,
    an interval that doesn't end after it starts, and overlapping intervals.
    """
    text = "" if raw is None else str(raw).translate(_FULLWIDTH).replace(" ", "").replace("\u3000", "").strip()
    if text.lower() in CLOSED_WORDS:
        return []
    parts = [part for part in text.split(",") if part]
    if len(parts) > MAX_INTERVALS:
        raise ValidationError(
            _("每天最多两个开放时段，“%(value)s”有 %(count)s 个。"),
            code="too_many",
            params={"value": raw, "count": len(parts)},
        )
    intervals = []
    for part in parts:
        match = _INTERVAL.match(part)
        if not match:
            raise ValidationError(
                _("“%(value)s” 的格式应为 08:30-11:30，两个时段用逗号分隔，休息日填“休息”。"),
                code="invalid_format",
                params={"value": part},
            )
        start = _parse_time(match[1], match[2], part)
        end = _parse_time(match[3], match[4], part)
        if end <= start:
            raise ValidationError(
                _("时段 %(value)s 的结束时间应晚于开始时间。"), code="end_before_start", params={"value": part}
            )
        intervals.append(Interval(start, end))
    intervals.sort(key=lambda interval: interval.start)
    if len(intervals) == 2 and intervals[1].start < intervals[0].end:
        raise ValidationError(
            _("时段 %(first)s 与 %(second)s 重叠。"),
            code="overlap",
            params={"first": intervals[0], "second": intervals[1]},
        )
    return intervals


def format_hours(intervals):
    return ",".join(str(interval) for interval in intervals)


def normalise_hours(raw):
    """The stored form of what was typed (raises ValidationError)."""
    return format_hours(parse_hours(raw))


def day_minutes(stored):
    """Open minutes of a stored day: the sum of its intervals (a lunch break is not open time)."""
    return sum(interval.minutes for interval in parse_hours(stored))


def validate_hours(value):
    parse_hours(value)


def _day_constraints(prefix, field):
    """Database checks for one stored day (format, order within and between intervals)."""
    first_start, first_end = Substr(field, 1, 5), Substr(field, 7, 5)
    second_start, second_end = Substr(field, 13, 5), Substr(field, 19, 5)
    return [
        models.CheckConstraint(condition=Q(**{f"{field}__regex": HOURS_REGEX}), name=f"{prefix}_{field}_format"),
        models.CheckConstraint(
            condition=Q(**{field: ""}) | LessThan(first_start, first_end),
            name=f"{prefix}_{field}_first_order",
        ),
        models.CheckConstraint(
            condition=Q(**{field: ""})
            | ~Q(**{f"{field}__contains": ","})
            | (LessThanOrEqual(first_end, second_start) & LessThan(second_start, second_end)),
            name=f"{prefix}_{field}_second_order",
        ),
    ]


def hours_constraints(prefix):
    constraints = []
    for field in (*WEEKDAY_FIELDS, "hours_holiday"):
        constraints.extend(_day_constraints(prefix, field))
    return constraints


def hours_field(verbose_name, help_text=""):
    return models.CharField(
        verbose_name,
        max_length=23,
        blank=True,
        default="",
        validators=[validate_hours],
        help_text=help_text or _("如 08:30-11:30,13:30-17:30；最多两个时段；空白表示休息。"),
    )


class WeeklyHours(models.Model):
    """Abstract: a week of opening hours plus holiday behaviour.

    ``shortest_day_minutes`` is the smallest Mon–Sun daily total, kept in step
    by ``prepare_for_bulk()``, which ``save()`` and bulk writers call, so that
    the F5 rule (every day open ≥ 8 h) is a plain database filter.
    """

    hours_mon = hours_field(_("周一开放时间"))
    hours_tue = hours_field(_("周二开放时间"))
    hours_wed = hours_field(_("周三开放时间"))
    hours_thu = hours_field(_("周四开放时间"))
    hours_fri = hours_field(_("周五开放时间"))
    hours_sat = hours_field(_("周六开放时间"))
    hours_sun = hours_field(_("周日开放时间"))
    hours_holiday = hours_field(
        _("节假日开放时间"), help_text=_("节假日开放时使用；空白则按周六时间。")
    )
    open_on_holidays = models.BooleanField(_("节假日全天开放"), default=False)
    shortest_day_minutes = models.PositiveSmallIntegerField(_("最短日开放分钟数"), default=0, editable=False)

    class Meta:
        abstract = True

    def weekly_hours(self):
        """``[(label, stored_text), …]`` Monday first."""
        return [(label, getattr(self, field)) for label, field in zip(WEEKDAY_LABELS, WEEKDAY_FIELDS, strict=True)]

    def refresh_shortest_day(self):
        self.shortest_day_minutes = min(day_minutes(getattr(self, field)) for field in WEEKDAY_FIELDS)

    def clean_hours(self):
        errors = {}
        for field in (*WEEKDAY_FIELDS, "hours_holiday"):
            try:
                setattr(self, field, normalise_hours(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.messages
        if errors:
            raise ValidationError(errors)

    def prepare_for_bulk(self):
        self.refresh_shortest_day()
        parent = getattr(super(), "prepare_for_bulk", None)
        if parent is not None:
            parent()

    def save(self, *args, **kwargs):
        if not hasattr(super(), "prepare_for_bulk"):  # not a TrackedModel: its save() does not call it
            self.prepare_for_bulk()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "shortest_day_minutes"}
        super().save(*args, **kwargs)
