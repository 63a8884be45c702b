"""What the reporting cycle adds to compliance's pages (``compliance.extensions``)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from reporting import selectors


def official_figures(month, within):
    """The approved (or accepted) streets' frozen figures of ``month`` inside ``within``: one query."""
    return selectors.official_figures(month, within)


def _status(line):
    return {"on_time": _("按时上报"), "late": _("逾期上报"), "missing": _("缺报"), "pending": _("未到期")}[line.timeliness]


def matrix_rows(user, month, columns):
    """上报率 / 及时率 of each column's division (a clerk sees the street's own state)."""
    if user.is_clerk:
        city, _tallies = selectors.completeness(month, street=user.division)
        return [{"label": _("本月报送"), "note": "", "cells": [_status(line)]} for line in city.lines]
    district = user.division if user.is_district_reviewer else None
    city, tallies = selectors.completeness(month, district=district)
    if district is not None:
        if not tallies:
            return []
        tally = tallies[0]
        lines = {line.street.pk: line for line in tally.lines}
        return [{"label": _("上报率、及时率"), "note": _("按截止日计"), "cells": [
            _rates(tally), *[_status(lines[column.pk]) if column.pk in lines else "—" for column in columns]]}]
    by_pk = {tally.division.pk: tally for tally in tallies}
    return [{"label": _("上报率、及时率"), "note": _("按截止日计"), "cells": [
        _rates(city), *[_rates(by_pk[column.pk]) if column.pk in by_pk else "—" for column in columns]]}]


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
