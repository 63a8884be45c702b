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


def chart(points, *, title, target=None, symbol="≥", baseline=None, baseline_year=None, midterm=None, yearly=False):
    """The SVG of one series: value line with markers, target, baseline and 2023 milestone."""
    shown = [point for point in points if point.value is not None]
    if not shown:
        return ""
    values = [float(point.value) for point in shown]
    references = [float(x) for x in (target, baseline, midterm) if x is not None]
    top = max(values + references + [0]) * 1.1 or 1
    plot_width = WIDTH - LEFT - RIGHT
    count = len(points)

    def x(index):
        return round(LEFT + (plot_width * index / (count - 1) if count > 1 else plot_width / 2))

    parts = [fragment('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#212529"/>', LEFT, HEIGHT - BOTTOM,
                      WIDTH - RIGHT, HEIGHT - BOTTOM),
             fragment('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#212529"/>', LEFT, TOP, LEFT, HEIGHT - BOTTOM)]
    for tick in (0, top / 2 / 1.1, top / 1.1):
        y = round(_y(tick, top))
        parts.append(fragment('<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#212529">{}</text>',
                              LEFT - 4, y + 4, f"{tick:.0f}" if tick >= 10 else f"{tick:.1f}"))
    for index, point in enumerate(points):
        if yearly or point.month.month == 1 or index == 0:
            parts.append(fragment(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#212529">{}</text>',
                x(index), HEIGHT - BOTTOM + 14, f"{point.month:%Y}" if yearly or point.month.month == 1
                else f"{point.month:%Y-%m}",
            ))
    # Reference lines, each with its words at the right end.
    for figure, dash, label in (
        (target, "6 4", _("目标 %(symbol)s %(figure)s") % {"symbol": symbol, "figure": _plain(target)}),
        (baseline, "2 3", _("基期 %(year)s：%(figure)s") % {"year": baseline_year or "", "figure": _plain(baseline)}),
    ):
        if figure is None:
            continue
        y = round(_y(figure, top))
        parts.append(fragment(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#0d6efd" stroke-width="1.5" stroke-dasharray="{}"/>'
            '<text x="{}" y="{}" font-size="11" fill="#0d6efd">{}</text>',
            LEFT, y, WIDTH - RIGHT, y, dash, WIDTH - RIGHT + 4, y + 4, label,
        ))
    if midterm is not None:
        index = next((i for i, point in enumerate(points) if point.month.year == 2023 and
                      (yearly or point.month.month == 12)), None)
        if index is not None:
            y = round(_y(midterm, top))
            cx = x(index)
            parts.append(fragment(
                '<path d="M{} {}l6 6l-6 6l-6 -6z" fill="none" stroke="#6f42c1" stroke-width="2">'
                '<title>{}</title></path><text x="{}" y="{}" font-size="11" fill="#6f42c1">{}</text>',
                cx, y - 6, _("2023 中期目标 %(figure)s") % {"figure": _plain(midterm)}, cx + 8, y - 8,
                _("中期 %(figure)s") % {"figure": _plain(midterm)},
            ))
    # The value line (solid) over the months with a value; a gap where a month has none.
    segments, current = [], []
    for index, point in enumerate(points):
        if point.value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{x(index)},{round(_y(point.value, top), 1)}")
    if current:
        segments.append(current)
    for segment in segments:
        parts.append(fragment('<polyline points="{}" fill="none" stroke="#212529" stroke-width="2"/>',
                              " ".join(segment)))
    marks = {True: _("达标"), False: _("未达标"), None: ""}
    markers = []
    for index, point in enumerate(points):
        if point.value is None:
            continue
        # Passing months drawn as filled circles, failing ones as hollow squares: shape, not colour, tells.
        label = f"{point.month:%Y-%m}：{point.value} {marks[point.passed]}"
        cx, cy = x(index), round(_y(point.value, top), 1)
        if point.passed is False:
            markers.append(fragment('<rect x="{}" y="{}" width="6" height="6" fill="#fff" stroke="#dc3545" '
                                    'stroke-width="1.5"><title>{}</title></rect>', cx - 3, cy - 3, label))
        else:
            markers.append(fragment('<circle cx="{}" cy="{}" r="3" fill="#198754"><title>{}</title></circle>',
                                    cx, cy, label))
    parts.extend(markers)
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
