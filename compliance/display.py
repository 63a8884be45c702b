"""A figure as shown in a table cell, built once in Python: the matrix has hundreds of cells.

The one place for how a ``Result`` looks (matrix, drill-down and street pages); a template loop
with an ``{% include %}`` per cell cost most of the matrix's render time.
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext


def cell_class(result):
    """Pass/fail of a cell (also said in words by its badge: never colour alone)."""
    return {True: "cell-pass", False: "cell-fail"}.get(result.passed, "cell-none")


def result_html(result):
    """The figure (or 无数据), then the 达标 / 未达标 badge with the shortfall in words."""
    if result.value is None:
        figure = format_html('<span class="text-body-secondary">{}</span>', gettext("无数据"))
    else:
        figure = format_html('<span class="fw-semibold">{}</span>', str(result.rounded))  # "." in both languages
    if result.passed is True:
        badge = format_html('<span class="badge text-bg-success status-pass">{}</span>', gettext("达标"))
    elif result.passed is False:
        badge = format_html(
            '<span class="badge text-bg-danger status-fail">{}</span><br><span class="small">{}</span>',
            gettext("未达标"), result.shortfall_text,
        )
    else:
        badge = ""
    return format_html("{}\n{}", figure, badge)


def matrix_cells(row, month_value, *, with_total):
    """``[{"class", "html", "url", "division"}]`` for one matrix row: the total (if shown), then the parts."""
    drill = reverse("compliance:drill", args=[row.indicator.code, "DIVISION"])
    cells = []
    if with_total:
        cells.append({"class": cell_class(row.total), "html": result_html(row.total), "url": None, "division": None})
    for result in row.parts:
        cells.append({
            "class": cell_class(result), "html": result_html(result), "division": result.division,
            "url": drill.replace("DIVISION", result.division.code) + f"?month={month_value}",
        })
    return cells
