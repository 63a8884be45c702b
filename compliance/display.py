"""A figure as shown in a table cell, built once in Python: the matrix has hundreds of cells.

The one place for how a ``Result`` looks (matrix, drill-down and street pages). The matrix builds
each row's cells as one HTML fragment: a template loop with an ``{% include %}`` per cell, and
then ``format_html`` per cell (its lazy-string checks on every argument), cost most of the
matrix's render time. Markup is built as plain text with every value passed through
``html.escape`` (what Django's ``escape`` does for a plain string), and marked safe once, in
``fragment``.
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext


def fragment(template, *values):
    """``template.format(*values)`` with every value HTML-escaped (values already safe are kept), marked safe."""
    return mark_safe(_format(template, values))  # noqa: S308 - every value escaped by _format  # nosec B308, B703


def _format(template, values):
    # Safe text is kept and so is a whole number (no markup in its digits); anything else is escaped.
    return template.format(*(value if isinstance(value, (SafeData, int)) else escape(str(value)) for value in values))


def joined(fragments, separator=""):
    """Fragments (escaped already) joined into one."""
    return fragment(separator.join(["{}"] * len(fragments)), *fragments)


def cell_class(result):
    """Pass/fail of a cell (also said in words by its badge: never colour alone)."""
    return {True: "cell-pass", False: "cell-fail"}.get(result.passed, "cell-none")


def _labels():
    """The words of a cell, translated once per table rather than once per cell."""
    return {"none": gettext("无数据"), "pass": gettext("达标"), "fail": gettext("未达标"), "details": gettext("明细"),
            "changed": gettext("审核后修改"), "now": gettext("现为"), "city": gettext("全市"),
            "approved": gettext("已审核"), "live": gettext("未审核"), "share": gettext("已审核 %(approved)s/%(streets)s")}


def _column_label(name, result, labels):
    """A cell's column as a stacked row names it: the division and, in a month with approvals, its state."""
    basis = getattr(result, "basis", None)
    if basis is None:
        return escape(name)
    if basis.street:
        state = labels["approved"] if basis.approved else labels["live"]
    else:
        state = labels["share"] % {"approved": basis.approved, "streets": basis.streets}
    return escape(f"{name} · {state}")


def _result_text(result, labels):
    """``result_html`` as escaped text (not yet marked safe)."""
    return _figure_text(result, labels) + _changed_text(result, labels)


def _changed_text(result, labels):
    """审核后修改 and today's figure, when an approved street's figure changed since (``selectors_official``)."""
    basis = getattr(result, "basis", None)
    if basis is None or not basis.changed:
        return ""
    now = labels["none"] if basis.now.value is None else str(basis.now.rounded)
    return (f'<br><span class="badge text-bg-warning changed-after-approval">{escape(labels["changed"])}</span>'
            f' <span class="small">{escape(labels["now"])} {escape(now)}</span>')


def _figure_text(result, labels):
    if result.value is None:
        figure = f'<span class="text-body-secondary">{escape(labels["none"])}</span>'
    else:
        figure = f'<span class="fw-semibold">{escape(str(result.rounded))}</span>'  # "." in both languages
    if result.passed is True:
        return f'{figure}\n<span class="badge text-bg-success status-pass">{escape(labels["pass"])}</span>'
    if result.passed is False:
        return (
            f'{figure}\n<span class="badge text-bg-danger status-fail">{escape(labels["fail"])}</span>'
            f'<br><span class="small">{escape(result.shortfall_text)}</span>'
        )
    return figure + "\n"


def result_html(result):
    """The figure (or 无数据), then the 达标 / 未达标 badge with the shortfall in words."""
    return mark_safe(_result_text(result, _labels()))  # noqa: S308 - every value escaped  # nosec B308, B703


def matrix_row(row, period_query, *, with_total):
    """The ``<td>`` cells of one matrix row as one fragment: the total (if shown), then one per part.

    A part's cell links to its drill-down, with the indicator and the division for screen readers.
    """
    labels = _labels()
    drill = reverse("compliance:drill", args=[row.indicator.code, "DIVISION"])
    code = escape(row.indicator.code)
    cells = []
    if with_total:
        # data-label: the column's name, shown beside each figure when a narrow screen stacks the row (compliance.css).
        name = row.total.division.name if row.total.division is not None else labels["city"]
        cells.append(f'<td class="{cell_class(row.total)}" data-label="{_column_label(name, row.total, labels)}">'
                     f'{_result_text(row.total, labels)}</td>')
    details = escape(labels["details"])
    for result in row.parts:
        url = escape(f'{drill.replace("DIVISION", result.division.code)}?{period_query}')
        cells.append(
            f'<td class="{cell_class(result)}" data-label="{_column_label(result.division.name, result, labels)}">'
            f'{_result_text(result, labels)}<br>'
            f'<a class="small no-print" href="{url}">{details}'
            f'<span class="visually-hidden"> {code} {escape(result.division.name)}</span></a></td>'
        )
    return mark_safe("\n".join(cells))  # noqa: S308 - every value escaped above  # nosec B308, B703
