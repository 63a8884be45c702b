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


def street_returns(user, street, month):
    """The street page's 退回修改: the month's period and the street's returns not closed yet; the street's
    district reviewer is led to the period page, where a return names the indicator, the records and a deadline."""
    from django.template.loader import render_to_string

    from core import permissions
    from reporting import services
    from reporting.models import Period, Status

    month = month.replace(day=1)
    period = Period.objects.filter(street=street, month=month).first() or Period(street=street, month=month)
    return render_to_string("reporting/_street_returns.html", {
        "period": period, "street": street, "month_value": f"{month:%Y-%m}",
        "deadline": services.deadline_for(month), "today": timezone.localdate(),
        "returns": selectors.returns_for(user).filter(street=street).select_related("created_by"),
        "can_review": permissions.can_review(user, street), "submitted": period.status == Status.SUBMITTED,
    })
