"""An indicator's series from the stored months, and its server-drawn line chart (SVG, readable without colour).

One query reads every stored figure of an indicator for the chosen divisions, whatever the number of
months; the chart marks the target (dashed line), the baseline (dotted line) and the 2023 milestone
(diamond) with words as well as line styles, and every point carries its value in a ``<title>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from compliance.figures import cell_class
from compliance.models import MonthFigure
from core.html import fragment, join

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 96, 16, 36


@dataclass
class Point:
    month: date
    value: object  # Decimal (rounded, as shown) or None
    passed: bool | None
    target: object = None


@dataclass
class Series:
    code: str  # division code or ALL
    name: str
    points: list = field(default_factory=list)

    def yearly(self):
        """The last stored month of each year (December once the year is over)."""
        last = {}
        for point in self.points:
            last[point.month.year] = point
        return list(last.values())


def series(indicator_code, division_codes=None, *, levels=None, where=None):
    """``{division code: Series}`` for ``ALL`` and ``division_codes`` (or the given levels, or ``where``), in one query."""
    figures = MonthFigure.objects.filter(indicator=indicator_code)
    if where is not None:
        figures = figures.filter(where)
    if division_codes is not None:
        figures = figures.filter(division_code__in=division_codes)
    if levels is not None:
        figures = figures.filter(level__in=levels)
    found = {}
    # Plain tuples: model instances for every month of every division cost more than the query.
    for code, name, month, value, passed, target in figures.order_by("division_code", "record__month").values_list(
        "division_code", "division_name", "record__month", "value", "passed", "target",
    ):
        one = found.get(code)
        if one is None:
            one = found[code] = Series(code, name or _("全市"))
        one.points.append(Point(month, value, passed, target))
    if "ALL" in found:
        found["ALL"].name = _("全市")
    return found


def _y(value, top):
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - float(value) / top) if top else HEIGHT - BOTTOM


class _Frame:
    """Where a month (by index) and a value land in the chart."""

    def __init__(self, points, top):
        self.count, self.top = len(points), top

    def x(self, index):
        plot_width = WIDTH - LEFT - RIGHT
        return round(LEFT + (plot_width * index / (self.count - 1) if self.count > 1 else plot_width / 2))

    def y(self, value):
        return _y(value, self.top)


def _axes(frame, points, yearly):
    parts = [fragment('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#212529"/>', LEFT, HEIGHT - BOTTOM,
                      WIDTH - RIGHT, HEIGHT - BOTTOM),
             fragment('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#212529"/>', LEFT, TOP, LEFT, HEIGHT - BOTTOM)]
    for tick in (0, frame.top / 2 / 1.1, frame.top / 1.1):
        y = round(frame.y(tick))
        parts.append(fragment('<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#212529">{}</text>',
                              LEFT - 4, y + 4, f"{tick:.0f}" if tick >= 10 else f"{tick:.1f}"))
    for index, point in enumerate(points):
        if yearly or point.month.month == 1 or index == 0:
            parts.append(fragment(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#212529">{}</text>',
                frame.x(index), HEIGHT - BOTTOM + 14, f"{point.month:%Y}" if yearly or point.month.month == 1
                else f"{point.month:%Y-%m}",
            ))
    return parts


def _references(frame, *, target, symbol, baseline, baseline_year):
    """Reference lines, each with its words at the right end."""
    parts = []
    for figure, dash, label in (
        (target, "6 4", _("目标 %(symbol)s %(figure)s") % {"symbol": symbol, "figure": _plain(target)}),
        (baseline, "2 3", _("基期 %(year)s：%(figure)s") % {"year": baseline_year or "", "figure": _plain(baseline)}),
    ):
        if figure is None:
            continue
        y = round(frame.y(figure))
        parts.append(fragment(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#0d6efd" stroke-width="1.5" stroke-dasharray="{}"/>'
            '<text x="{}" y="{}" font-size="11" fill="#0d6efd">{}</text>',
            LEFT, y, WIDTH - RIGHT, y, dash, WIDTH - RIGHT + 4, y + 4, label,
        ))
    return parts


def _milestone(frame, points, midterm, yearly):
    """The 2023 milestone as a diamond on December 2023 (or on 2023 in a yearly chart)."""
    index = next((i for i, point in enumerate(points) if point.month.year == 2023 and
                  (yearly or point.month.month == 12)), None)
    if index is None:
        return []
    y, cx = round(frame.y(midterm)), frame.x(index)
    return [fragment(
        '<path d="M{} {}l6 6l-6 6l-6 -6z" fill="none" stroke="#6f42c1" stroke-width="2">'
        '<title>{}</title></path><text x="{}" y="{}" font-size="11" fill="#6f42c1">{}</text>',
        cx, y - 6, _("2023 中期目标 %(figure)s") % {"figure": _plain(midterm)}, cx + 8, y - 8,
        _("中期 %(figure)s") % {"figure": _plain(midterm)},
    )]


def _value_line(frame, points):
    """The value line (solid) over the months with a value; a gap where a month has none."""
    segments, current = [], []
    for index, point in enumerate(points):
        if point.value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{frame.x(index)},{round(frame.y(point.value), 1)}")
    if current:
        segments.append(current)
    return [fragment('<polyline points="{}" fill="none" stroke="#212529" stroke-width="2"/>', " ".join(segment))
            for segment in segments]


def _markers(frame, points):
    """Passing months drawn as filled circles, failing ones as hollow squares: shape, not colour, tells."""
    marks = {True: _("达标"), False: _("未达标"), None: ""}
    markers = []
    for index, point in enumerate(points):
        if point.value is None:
            continue
        label = f"{point.month:%Y-%m}：{point.value} {marks[point.passed]}"
        cx, cy = frame.x(index), round(frame.y(point.value), 1)
        if point.passed is False:
            markers.append(fragment('<rect x="{}" y="{}" width="6" height="6" fill="#fff" stroke="#dc3545" '
                                    'stroke-width="1.5"><title>{}</title></rect>', cx - 3, cy - 3, label))
        else:
            markers.append(fragment('<circle cx="{}" cy="{}" r="3" fill="#198754"><title>{}</title></circle>',
                                    cx, cy, label))
    return markers


def chart(points, *, title, target=None, symbol="≥", baseline=None, baseline_year=None, midterm=None, yearly=False):
    """The SVG of one series: value line with markers, target, baseline and 2023 milestone."""
    values = [float(point.value) for point in points if point.value is not None]
    if not values:
        return ""
    references = [float(x) for x in (target, baseline, midterm) if x is not None]
    frame = _Frame(points, max(values + references + [0]) * 1.1 or 1)
    parts = [
        *_axes(frame, points, yearly),
        *_references(frame, target=target, symbol=symbol, baseline=baseline, baseline_year=baseline_year),
        *(_milestone(frame, points, midterm, yearly) if midterm is not None else []),
        *_value_line(frame, points),
        *_markers(frame, points),
    ]
    return fragment(
        '<svg xmlns="http://www.w3.org/2000/svg" class="trend-chart" width="100%" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}">{}</svg>', WIDTH, HEIGHT, title, join(parts),
    )


def _plain(number):
    if number is None:
        return "—"
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def table_rows(points, *, yearly=False):
    """The data table's ``<tr>`` rows as one fragment (a template loop per month cost most of the page)."""
    words = {True: _("达标"), False: _("未达标"), None: "—"}
    none = _("无数据")
    if not points:
        return fragment('<tr><td colspan="3">{}</td></tr>', none)
    return join(
        fragment('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
                 f"{point.month:%Y}" if yearly else f"{point.month:%Y-%m}",
                 none if point.value is None else str(point.value), words[point.passed])
        for point in points
    )


def year_table(rows, years):
    """The districts × years table body as one fragment: ``rows`` is ``[(division, [Point or None])]``."""
    words = {True: _("达标"), False: _("未达标"), None: ""}
    none, link = _("无数据"), _("%(name)s趋势图")
    out = []
    for division, points in rows:
        cells = join(
            fragment('<td class="{}">{}</td>', cell_class(None), none) if point is None or point.value is None
            else fragment('<td class="{}">{} {}</td>', cell_class(point.passed), str(point.value), words[point.passed])
            for point in points
        )
        out.append(fragment('<tr><th scope="row">{}</th>{}<td class="no-print"><a href="?division={}#trend-{}">{}</a>'
                            '</td></tr>', division.name, cells, division.code, division.code,
                            link % {"name": division.name}))
    return join(out)
