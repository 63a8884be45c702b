"""HSDS phones, languages and schedules of a record: its weekly hours and the official calendar's exceptions.

Split from ``opendata.mapping`` (which builds the rest of each HSDS object and imports these).
"""

from core.hours import WEEKDAY_FIELDS, parse_hours
from core.models import Holiday
from opendata.ids import record_id
from opendata.taxonomy import LANGUAGE
from volunteers import privacy
from volunteers.models import Team

UTC_OFFSET = 8  # Asia/Shanghai, the zone of every opening hour
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def compact(obj):
    """Drop keys without a value: the schemas type every field and allow none to be null."""
    return {key: value for key, value in obj.items() if value is not None and value != ""}


def phones(record):
    number = privacy.public_phone(record.phone)
    if not number:
        return []
    return [
        {
            "id": record_id(record, "phone"),
            "service_id": record_id(record),
            "number": number,
            "type": "voice",
            "description": "联系电话",
            "languages": [],
        }
    ]


def languages(record):
    return [
        {
            "id": record_id(record, "language"),
            "service_id": record_id(record),
            "name": "中文",
            "code": LANGUAGE,
            "note": "普通话；资料为简体中文。",
        }
    ]


def _time(hhmm):
    return f"{hhmm}+08:00"


def _interval_rows(record, key, intervals, extra):
    rows = []
    for index, interval in enumerate(intervals, start=1):
        rows.append(
            compact(
                {
                    "id": record_id(record, f"schedule:{key}:{index}"),
                    "service_id": record_id(record),
                    "location_id": record_id(record, "location"),
                    "service_at_location_id": record_id(record, "service_at_location"),
                    "timezone": UTC_OFFSET,
                    "wkst": "MO",
                    "freq": "WEEKLY",
                    "opens_at": _time(f"{interval.start:%H:%M}"),
                    "closes_at": _time(f"{interval.end:%H:%M}"),
                    "attending_type": "到场",
                    **extra,
                }
            )
        )
    return rows


def _days_label(indexes):
    """``周一至周五`` for a run of three days or more, else ``周六、周日``."""
    if len(indexes) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{DAY_NAMES[indexes[0]]}至{DAY_NAMES[indexes[-1]]}"
    return "、".join(DAY_NAMES[i] for i in indexes)


def weekly_schedules(record):
    """One row per interval of each group of days with the same hours (a lunch break is two rows)."""
    rows = []
    days = list(enumerate(WEEKDAY_FIELDS))
    by_hours = {}
    for index, name in days:
        by_hours.setdefault(getattr(record, name), []).append(index)
    for text, indexes in by_hours.items():
        intervals = parse_hours(text)
        if not intervals:
            continue
        label = _days_label(indexes)
        note = "，中午休息" if len(intervals) == 2 else ""
        rows.extend(
            _interval_rows(
                record,
                f"weekly:{BYDAY[indexes[0]]}",
                intervals,
                {"byday": ",".join(BYDAY[i] for i in indexes), "description": f"{label} {text.replace(',', '、')}{note}"},
            )
        )
    return rows


def _special_hours(record, special):
    """The intervals of ``record`` on a special day (as core.opening decides) and how to say so."""
    if special.kind == Holiday.DayKind.HOLIDAY:
        if not record.open_on_holidays:
            return [], f"{special.name or '法定节假日'}：闭馆"
        text = record.hours_holiday or record.hours_sat
        return parse_hours(text), f"{special.name or '法定节假日'}：节假日开放时间"
    return parse_hours(record.hours_mon), f"{special.name or ''}调休上班日：按周一开放时间".lstrip("：")


def holiday_schedules(record, holidays):
    """The official calendar as exceptions: dated rows (``valid_from``–``valid_to``) that replace the weekly ones.

    Consecutive days of the same holiday form one row per interval; a dated row without ``opens_at`` means
    closed on those days. A make-up workday (调休) opens with the Monday hours, as the public pages say.
    """
    rows = []
    runs = []
    for special in holidays:
        if runs and runs[-1][0].kind == special.kind and runs[-1][0].name == special.name and (
            special.date - runs[-1][-1].date
        ).days == 1:
            runs[-1].append(special)
        else:
            runs.append([special])
    for run in runs:
        first, last = run[0], run[-1]
        intervals, description = _special_hours(record, first)
        dated = {
            "valid_from": first.date.isoformat(),
            "valid_to": last.date.isoformat(),
            "dtstart": first.date.isoformat(),
            "until": last.date.isoformat(),
            "description": description,
            "notes": "例外日期：当天以此为准，不按每周时间。",
        }
        key = f"calendar:{first.date.isoformat()}"
        if intervals:
            days = sorted({BYDAY[special.date.weekday()] for special in run}, key=BYDAY.index)
            rows.extend(_interval_rows(record, key, intervals, {**dated, "byday": ",".join(days)}))
        else:
            rows.append(
                compact(
                    {
                        "id": record_id(record, f"schedule:{key}:0"),
                        "service_id": record_id(record),
                        "location_id": record_id(record, "location"),
                        "service_at_location_id": record_id(record, "service_at_location"),
                        "timezone": UTC_OFFSET,
                        **dated,
                        "notes": "例外日期：当天闭馆，不按每周时间。",
                    }
                )
            )
    return rows


def schedules(record, context):
    if isinstance(record, Team):
        return []
    return weekly_schedules(record) + holiday_schedules(record, context.holidays)
