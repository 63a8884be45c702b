"""Comparing two sets of figures: official snapshots (immutable), a month (stored, or as of its end) or today.

A side is named ``snapshot:<id>``, ``month:YYYY-MM`` or ``today``; each becomes the snapshot's JSON form
``{code: {division code or ALL: [value, target, passed]}}`` (the CSV texts), so that every pair compares
the same way: each figure's old value, new value, change and direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from compliance import months, rules, selectors, services, timeline
from compliance.kinds import Context
from compliance.models import MonthRecord, Snapshot
from core.dates import last_full_month


class Unknown(ValueError):
    pass


@dataclass
class Side:
    key: str
    label: str
    data: dict


def side(key):
    if key == "today":
        ctx = Context(month=last_full_month(timezone.localdate()))
        _plan, targets = selectors.plan_in_force()
        data = services.snapshot_data(selectors.city_board(ctx=ctx, targets=targets))
        return Side(key, _("今天（当前记录，探访月份 %(month)s）") % {"month": f"{ctx.month:%Y-%m}"}, data)
    kind, _sep, value = key.partition(":")
    if kind == "snapshot":
        snapshot = Snapshot.objects.filter(pk=value).first() if value.isdigit() else None
        if snapshot is None:
            raise Unknown(_("没有这个快照。"))
        return Side(key, _("快照“%(name)s”（%(month)s）") % {"name": snapshot.name, "month": snapshot.month}, snapshot.data)
    if kind == "month":
        try:
            month = timeline.parse_month(value)
        except ValueError:
            raise Unknown(_("月份应为 YYYY-MM。")) from None
        stored = MonthRecord.objects.filter(month=month).first()
        if stored is not None:
            rows = months.stored_rows(stored)
            label = _("%(month)s 月末（已保存）") % {"month": f"{month:%Y-%m}"}
        else:
            _plan, targets = selectors.plan_in_force()
            rows = timeline.evaluate(month=month, targets=targets, parts=selectors.districts())
            label = _("%(month)s 月末（按历史记录计算）") % {"month": f"{month:%Y-%m}"}
        return Side(key, label, services.snapshot_data(rows))
    raise Unknown(_("无法识别的比较对象。"))


@dataclass
class Line:
    indicator: object
    division: str
    old: list
    new: list
    change: Decimal | None
    direction: str  # up, down, same, appeared, gone, none

    @property
    def changed(self):
        return self.direction not in ("same", "none") or self.old[2] != self.new[2]

    @property
    def direction_text(self):
        return {
            "up": _("↑ 上升"), "down": _("↓ 下降"), "same": _("= 不变"), "appeared": _("新有数据"),
            "gone": _("变为无数据"), "none": _("均无数据"),
        }[self.direction]


def _number(text):
    return Decimal(text) if text not in ("", None) else None


def lines(left, right, *, districts):
    names = {division.code: division.name for division in districts}
    codes = ["ALL", *names]
    out = []
    for code, indicator in rules.INDICATORS.items():
        for division in codes:
            old = left.data.get(code, {}).get(division)
            new = right.data.get(code, {}).get(division)
            if old is None and new is None:
                continue
            old, new = old or ["", "", ""], new or ["", "", ""]
            before, after = _number(old[0]), _number(new[0])
            if before is None and after is None:
                change, direction = None, "none"
            elif before is None:
                change, direction = None, "appeared"
            elif after is None:
                change, direction = None, "gone"
            else:
                change = after - before
                direction = "up" if change > 0 else "down" if change < 0 else "same"
            out.append(Line(indicator, names.get(division, _("全市")), old, new, change, direction))
    return out
