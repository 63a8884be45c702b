"""A figure as shown in a table cell, built once in Python: the matrix has hundreds of cells.

The one place for how a ``Result`` looks (matrix, drill-down and street pages). The matrix builds each
row's cells as one HTML fragment (``core.html``): a template loop with an ``{% include %}`` per cell cost
most of the matrix's render time.
"""

from django.urls import reverse
from django.utils.translation import gettext

from core.html import fragment, join

NONE = '<span class="text-body-secondary">{}</span>'
FIGURE = '<span class="fw-semibold">{}</span>'
PASSED = '{}\n<span class="badge text-bg-success status-pass">{}</span>'
FAILED = '{}\n<span class="badge text-bg-danger status-fail">{}</span><br><span class="small">{}</span>'
PART = ('<td class="{}">{}<br><a class="small no-print" href="{}?{}">{}'
        '<span class="visually-hidden"> {} {}</span></a></td>')


def _labels():
    """The words of a cell, translated once per table rather than once per cell."""
    return {"none": gettext("无数据"), "pass": gettext("达标"), "fail": gettext("未达标"), "details": gettext("明细")}


def _result(result, labels):
    if result.value is None:
        figure = fragment(NONE, labels["none"])
    else:
        figure = fragment(FIGURE, str(result.rounded))  # "." in both languages
    if result.passed is True:
        return fragment(PASSED, figure, labels["pass"])
    if result.passed is False:
        return fragment(FAILED, figure, labels["fail"], result.shortfall_text)
    return fragment("{}\n", figure)


def result_html(result):
    """The figure (or 无数据), then the 达标 / 未达标 badge with the shortfall in words."""
    return _result(result, _labels())


def matrix_row(row, period_query, *, with_total):
    """The ``<td>`` cells of one matrix row as one fragment: the total (if shown), then one per part.

    A part's cell links to its drill-down, with the indicator and the division for screen readers.
    """
    labels = _labels()
    drill = reverse("compliance:drill", args=[row.indicator.code, "DIVISION"])
    code = row.indicator.code
    cells = []
    if with_total:
        cells.append(fragment('<td class="{}">{}</td>', row.total.cell_class, _result(row.total, labels)))
    for result in row.parts:
        url = drill.replace("DIVISION", result.division.code)
        cells.append(fragment(PART, result.cell_class, _result(result, labels), url, period_query,
                              labels["details"], code, result.division.name))
    return join(cells, "\n")
