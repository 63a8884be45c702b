"""What the reporting cycle adds to compliance's pages (``compliance.extensions``)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Level
from reporting import selectors


def official_figures(month, within):
    """The approved (or accepted) streets' frozen figures of ``month`` inside ``within``: one query."""
    return selectors.official_figures(month, within)


def _status(line):
    return {"on_time": _("按时上报"), "late": _("逾期上报"), "missing": _("缺报"), "pending": _("未到期")}[line.timeliness]


def matrix_rows(user, month, columns, root=None):
    """上报率 / 及时率 of the board of ``root`` and of each column's division: a street column its own state (a
    clerk sees their street's). Only the streets under ``root`` are read, as plain values."""
    if user.is_clerk:
        city, _tallies = selectors.completeness(month, street=user.division)
        return [{"label": _("本月报送"), "note": "", "cells": [_status(line)]} for line in city.lines]
    if root is None and user.is_district_reviewer:
        root = user.division
    level = columns[0].level if columns else None
    streets = level == Level.STREET
    # A street's board has community columns: its reporting is the street's own (no rates per community). Street
    # columns read each street's line; above them the database counts (no line is read).
    by = level if level not in (None, Level.COMMUNITY) else None
    total, tallies = selectors.board_completeness(month, root, by=by)
    if not total.streets:
        return []
    if streets:
        lines = {line.street: line for line in total.lines}
        cells = [_status(lines[column.pk]) if column.pk in lines else "—" for column in columns]
    else:
        cells = [_rates(tallies[column.pk]) if column.pk in tallies else "—" for column in columns]
    return [{"label": _("上报率、及时率"), "note": _("按截止日计"), "cells": [_rates(total), *cells]}]


def _rates(tally):
    if tally.submit_rate is None:
        return "—"
    return _("上报 %(submit)s%% · 及时 %(timely)s%%") % {"submit": tally.submit_rate, "timely": tally.timely_rate}


def return_notices(obj):
    """Open returns naming ``obj``: shown on the record's admin page."""
    return [
        _("退回事项（%(month)s，期限 %(deadline)s%(overdue)s）：%(indicator)s%(reason)s") % {
            "month": item.period.month_text, "deadline": item.deadline.isoformat(),
            "overdue": _("，已逾期") if item.deadline < timezone.localdate() and item.state == "open" else "",
            "indicator": f"{item.indicator} " if item.indicator else "", "reason": item.reason,
        }
        for item in selectors.returns_on(obj)
    ]


def street_quality(street):
    """The street page's 数据质量: the validation rules' findings."""
    from reporting import rules

    return rules.street_issues(street)
