"""A figure as shown in a table cell, built once in Python: the matrix has hundreds of cells.

The one place for how a ``Result`` looks (matrix, drill-down and street pages). The matrix builds
each row's cells as one HTML fragment: a template loop with an ``{% include %}`` per cell, and
then ``format_html`` per cell (its lazy-string checks on every argument), cost most of the
matrix's render time. ``fragment`` escapes every value with ``html.escape`` (what Django's
``escape`` does for a plain string) before it is marked safe.
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext


def fragment(template, *values):
    """``template.format(*values)`` with every value HTML-escaped (values already safe are kept), marked safe."""
    escaped = (value if isinstance(value, SafeData) else escape(str(value)) for value in values)
    return mark_safe(template.format(*escaped))  # noqa: S308 - every value escaped above  # nosec B308, B703


def joined(fragments, separator=""):
    """Fragments (escaped already) joined into one."""
    return fragment(separator.join(["{}"] * len(fragments)), *fragments)


def cell_class(result):
    """Pass/fail of a cell (also said in words by its badge: never colour alone)."""
    return {True: "cell-pass", False: "cell-fail"}.get(result.passed, "cell-none")


def result_html(result):
    """The figure (or 无数据), then the 达标 / 未达标 badge with the shortfall in words."""
    if result.value is None:
        figure = fragment('<span class="text-body-secondary">{}</span>', gettext("无数据"))
    else:
        figure = fragment('<span class="fw-semibold">{}</span>', result.rounded)  # "." in both languages
    if result.passed is True:
        badge = fragment('<span class="badge text-bg-success status-pass">{}</span>', gettext("达标"))
    elif result.passed is False:
        badge = fragment(
            '<span class="badge text-bg-danger status-fail">{}</span><br><span class="small">{}</span>',
            gettext("未达标"), result.shortfall_text,
        )
    else:
        badge = ""
    return fragment("{}\n{}", figure, badge)


def matrix_row(row, month_value, *, with_total):
    """The ``<td>`` cells of one matrix row as one fragment: the total (if shown), then one per part.

    A part's cell links to its drill-down, with the indicator and the division for screen readers.
    """
    drill = reverse("compliance:drill", args=[row.indicator.code, "DIVISION"])
    details, code = gettext("明细"), row.indicator.code
    cells = []
    if with_total:
        cells.append(fragment('<td class="{}">{}</td>', cell_class(row.total), result_html(row.total)))
    for result in row.parts:
        url = f'{drill.replace("DIVISION", result.division.code)}?month={month_value}'
        cells.append(fragment(
            '<td class="{}">{}<br><a class="small no-print" href="{}">{}'
            '<span class="visually-hidden"> {} {}</span></a></td>',
            cell_class(result), result_html(result), url, details, code, result.division.name,
        ))
    return joined(cells, "\n")
