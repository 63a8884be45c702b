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
CHANGED = '<br><span class="badge text-bg-warning changed-after-approval">{}</span> <span class="small">{} {}</span>'
# data-label: the column's name, shown beside each figure when a narrow screen stacks the row (compliance.css).
TOTAL = '<td class="{}" data-label="{}">{}</td>'
PART = ('<td class="{}" data-label="{}">{}<br><a class="small no-print" href="{}?{}">{}'
        '<span class="visually-hidden"> {} {}</span></a></td>')


def _labels():
    """The words of a cell, translated once per table rather than once per cell."""
    return {"none": gettext("无数据"), "pass": gettext("达标"), "fail": gettext("未达标"), "details": gettext("明细"),
            "changed": gettext("审核后修改"), "now": gettext("现为"), "city": gettext("全市"),
            "approved": gettext("已审核"), "live": gettext("未审核"), "share": gettext("已审核 %(approved)s/%(streets)s")}


def _column_label(name, result, labels):
    """A cell's column as a stacked row names it: the division and, in a month with approvals, its state
    (plain text: ``fragment`` escapes it)."""
    basis = getattr(result, "basis", None)
    if basis is None:
        return name
    if basis.street:
        state = labels["approved"] if basis.approved else labels["live"]
    else:
        state = labels["share"] % {"approved": basis.approved, "streets": basis.streets}
    return f"{name} · {state}"


def _result(result, labels):
    """The figure with its badge, then 审核后修改 and today's figure where an approved figure changed since."""
    return join([_figure(result, labels), _changed(result, labels)])


def _changed(result, labels):
    """审核后修改 and today's figure, when an approved street's figure changed since (``selectors_official``)."""
    basis = getattr(result, "basis", None)
    if basis is None or not basis.changed:
        return ""
    now = labels["none"] if basis.now.value is None else str(basis.now.rounded)
    return fragment(CHANGED, labels["changed"], labels["now"], now)


def _figure(result, labels):
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


def matrix_row(row, period_query, *, with_total, total_name=None):
    """The ``<td>`` cells of one matrix row as one fragment: the total (if shown), then one per part.

    ``total_name`` names the total's column (the board's province or city; default its division, else 全市).

    A part's cell links to its drill-down, with the indicator and the division for screen readers.
    """
    labels = _labels()
    drill = reverse("compliance:drill", args=[row.indicator.code, "DIVISION"])
    code = row.indicator.code
    cells = []
    if with_total:
        name = total_name or (row.total.division.name if row.total.division is not None else labels["city"])
        cells.append(fragment(TOTAL, row.total.cell_class, _column_label(name, row.total, labels),
                              _result(row.total, labels)))
    for result in row.parts:
        url = drill.replace("DIVISION", result.division.code)
        cells.append(fragment(PART, result.cell_class, _column_label(result.division.name, result, labels),
                              _result(result, labels), url, period_query, labels["details"], code,
                              result.division.name))
    return join(cells, "\n")
