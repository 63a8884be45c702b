"""Comparing two sets of figures: official snapshots (immutable), a month (stored, or as of its end) or today.

A side is named ``snapshot:<id>``, ``month:YYYY-MM`` or ``today``; each becomes the snapshot's JSON form
(``figures_json``): ``{code: {division code or ALL: {"value": "52.00", "target": "100", "passed": false}}}``
— the value rounded as exported and the target as the plan writes it, both as decimal text (exact in JSON),
or null — so that every pair compares the same way: each figure's old value, new value, change and direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from compliance import months, rules, selectors, timeline
from compliance.kinds import Context
from compliance.models import MonthRecord, Snapshot
from core.dates import last_full_month, month_bounds, parse_month


class Unknown(ValueError):
    pass


@dataclass(frozen=True)
class Figure:
    """One stored figure: the value as shown (2 decimals), the target, pass/fail; None where there is none."""

    value: Decimal | None = None
    target: Decimal | None = None
    passed: bool | None = None

    @classmethod
    def of(cls, result):
        figure = result.figure
        return cls(result.rounded, None if figure is None else Decimal(figure).normalize(), result.passed)

    @classmethod
    def from_json(cls, data):
        if data is None:
            return cls()
        return cls(_number(data["value"]), _number(data["target"]), data["passed"])

    def json(self):
        return {
            "value": None if self.value is None else f"{self.value:.2f}",
            "target": None if self.target is None else format(self.target, "f"),  # 100, not 1E+2
            "passed": self.passed,
        }

    @property
    def value_text(self):
        return "" if self.value is None else f"{self.value:.2f}"

    @property
    def verdict(self):
        return {True: _("达标"), False: _("未达标"), None: "—"}[self.passed]


def figures_json(rows):
    """The figures of ``rows`` as a snapshot stores them: ALL first, then each part; S4 only ALL (as the export)."""
    data = {}
    for row in rows:
        results = [("ALL", row.total)]
        if not row.indicator.city_only:
            results += [(part.division.code, part) for part in row.parts]
        for division, result in results:
            data.setdefault(row.indicator.code, {})[division] = Figure.of(result).json()
    return data


@dataclass
class Side:
    key: str
    label: str
    data: dict


def side(key):
    if key == "today":
        ctx = Context(month=last_full_month(timezone.localdate()))
        _plan, targets = selectors.plan_in_force()
        data = figures_json(selectors.city_board(ctx=ctx, targets=targets))
        return Side(key, _("今天（当前记录，探访月份 %(month)s）") % {"month": f"{ctx.month:%Y-%m}"}, data)
    kind, _sep, value = key.partition(":")
    if kind == "snapshot":
        snapshot = Snapshot.objects.filter(pk=value).first() if value.isdigit() else None
        if snapshot is None:
            raise Unknown(_("没有这个快照。"))
        return Side(key, _("快照“%(name)s”（%(month)s）") % {"name": snapshot.name, "month": snapshot.month}, snapshot.data)
    if kind == "month":
        try:
            month = parse_month(value)
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
        return Side(key, label, figures_json(rows))
    raise Unknown(_("无法识别的比较对象。"))


@dataclass
class Line:
    indicator: object
    division: str
    old: Figure
    new: Figure
    change: Decimal | None
    direction: str  # up, down, same, appeared, gone, none
    #: Anything differs, the target included, or the figure exists on one side only.
    differs: bool = False

    @property
    def changed(self):
        return self.direction not in ("same", "none") or self.old.passed != self.new.passed

    @property
    def direction_text(self):
        return {
            "up": _("↑ 上升"), "down": _("↓ 下降"), "same": _("= 不变"), "appeared": _("新有数据"),
            "gone": _("变为无数据"), "none": _("均无数据"),
        }[self.direction]


def _number(text):
    return None if text is None else Decimal(text)


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
            differs = old != new
            old, new = Figure.from_json(old), Figure.from_json(new)
            before, after = old.value, new.value
            if before is None and after is None:
                change, direction = None, "none"
            elif before is None:
                change, direction = None, "appeared"
            elif after is None:
                change, direction = None, "gone"
            else:
                change = after - before
                direction = "up" if change > 0 else "down" if change < 0 else "same"
            out.append(Line(indicator, names.get(division, _("全市")), old, new, change, direction, differs))
    return out


def snapshot_diff(snapshot):
    """A snapshot against today's records, E5 for the snapshot's month: one line per figure either side has."""
    ctx = Context(month=month_bounds(snapshot.month)[0])
    _plan, targets = selectors.plan_in_force()
    today = figures_json(selectors.city_board(ctx=ctx, targets=targets))
    return lines(Side("snapshot", snapshot.name, snapshot.data), Side("today", "", today), districts=selectors.districts())
