"""The official calendar (public holidays and make-up workdays) from the ``chinesecalendar`` package.

The package is maintained from the State Council's yearly notices; the portal
copies it into ``core.Holiday`` so the bureau can correct or extend it in the
admin when a year's schedule is published before the package catches up.
"""

from chinese_calendar import holidays as PACKAGE_HOLIDAYS
from chinese_calendar import workdays as PACKAGE_WORKDAYS

HOLIDAY = "holiday"
WORKDAY = "workday"

# The package names days in English; residents read Chinese.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def known_years():
    """The years the installed package has a schedule for."""
    return sorted({day.year for day in PACKAGE_HOLIDAYS} | {day.year for day in PACKAGE_WORKDAYS})


def calendar_rows(years=None):
    """``[(date, kind, name), …]`` for ``years`` (None: every year the package knows), by date."""
    wanted = set(years) if years is not None else None
    rows = []
    for source, kind, suffix in ((PACKAGE_HOLIDAYS, HOLIDAY, ""), (PACKAGE_WORKDAYS, WORKDAY, "调休")):
        for day, english in source.items():
            if wanted is None or day.year in wanted:
                rows.append((day, kind, NAMES.get(english, english or "") + suffix))
    return sorted(rows)


def load_calendar(holiday_model, years=None, *, overwrite=False):
    """Copy the package's calendar into ``holiday_model`` (``core.Holiday`` or its migration state).

    Days already in the table are left as they are unless ``overwrite``: the bureau may
    have corrected them by hand. Returns counts of created, updated and kept rows.
    """
    rows = calendar_rows(years)
    existing = {
        holiday.date: holiday for holiday in holiday_model.objects.filter(date__in=[day for day, _, _ in rows])
    }
    created = updated = kept = 0
    new = []
    for day, kind, name in rows:
        holiday = existing.get(day)
        if holiday is None:
            new.append(holiday_model(date=day, kind=kind, name=name))
            created += 1
        elif overwrite and (holiday.kind, holiday.name) != (kind, name):
            holiday.kind, holiday.name = kind, name
            holiday.save(update_fields=["kind", "name"])
            updated += 1
        else:
            kept += 1
    holiday_model.objects.bulk_create(new)
    return {"created": created, "updated": updated, "kept": kept}
