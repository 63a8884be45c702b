"""A figure as shown in a table cell, built once in Python: the matrix has hundreds of cells.

The one place for how a ``Result`` looks (matrix, drill-down and street pages). The matrix builds each
row's cells as one HTML fragment (``core.html``): a template loop with an ``{% include %}`` per cell cost
most of the matrix's render time.
"""

from django.urls import reverse
from django.utils.translation import gettext

from compliance.figures import cell_class
from core.html import fragment, join
from core.public_lists import per_language

NONE = '<span class="text-body-secondary">{}</span>'
FIGURE = '<span class="fw-semibold">{}</span>'
PASSED = '{}\n<span class="badge text-bg-success status-pass">{}</span>'
FAILED = '{}\n<span class="badge text-bg-danger status-fail">{}</span><br><span class="small">{}</span>'
CHANGED = '<br><span class="badge text-bg-warning changed-after-approval">{}</span> <span class="small">{} {}</span>'
# data-label: the column's name, shown beside each figure when a narrow screen stacks the row (compliance.css).
TOTAL = '<td class="{}" data-label="{}">{}</td>'
#: A part's cell, formatted with values escaped already (``_Cells``): the link is the drill-down's with the query.
PART = ('<td class="{}" data-label="{}">{}<br><a class="small no-print" href="{}">{}'
        '<span class="visually-hidden"> {} {}</span></a></td>')


def _labels():
    """The words of a cell in the active language (``cells()`` keeps them per language)."""
    return {"none": gettext("无数据"), "pass": gettext("达标"), "fail": gettext("未达标"), "details": gettext("明细"),
            "changed": gettext("审核后修改"), "now": gettext("现为"), "city": gettext("全市"),
            "approved": gettext("已审核"), "live": gettext("未审核"), "share": gettext("已审核 %(approved)s/%(streets)s")}


class _Cells:
    """The cells' words, escaped once into safe fragments that ``fragment`` then inserts as they are (one set per
    language: ``cells()``), and how a result looks in a cell."""

    def __init__(self):
        self.labels = _labels()
        self.words = {key: fragment("{}", value) for key, value in self.labels.items()}
        self.none = fragment(NONE, self.words["none"])
        self.classes = {passed: fragment("{}", cell_class(passed)) for passed in (True, False, None)}

    def result(self, result):
        """The figure with its badge, then 审核后修改 and today's figure where an approved figure changed since."""
        figure = self.none if result.value is None else fragment(FIGURE, str(result.rounded))  # "." in both languages
        changed = _changed(result, self.labels)
        if result.passed is True:
            return fragment(PASSED + "{}", figure, self.words["pass"], changed)
        if result.passed is False:
            return fragment(FAILED + "{}", figure, self.words["fail"], result.shortfall_text, changed)
        return fragment("{}\n{}", figure, changed)


@per_language
def cells():
    """The active language's ``_Cells`` (translated and escaped once per process)."""
    return _Cells()


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


def _changed(result, labels):
    """审核后修改 and today's figure, when an approved street's figure changed since (``selectors_official``)."""
    basis = getattr(result, "basis", None)
    if basis is None or not basis.changed:
        return ""
    now = labels["none"] if basis.now.value is None else str(basis.now.rounded)
    return fragment(CHANGED, labels["changed"], labels["now"], now)


def result_html(result):
    """The figure (or 无数据), then the 达标 / 未达标 badge with the shortfall in words."""
    return cells().result(result)


def matrix_rows(rows, period_query, *, with_total, total_name=None):
    """The ``<td>`` cells of each matrix row as one fragment: the total (if shown), then one per part.

    ``total_name`` names the total's column (the board's province or city; default its division, else 全市).

    A part's cell links to its drill-down, with the indicator and the division for screen readers.
    """
    words = cells()
    labels = words.labels
    names = {}
    drill = reverse("compliance:drill", args=["CODE", "DIVISION"])
    query = fragment("{}", period_query)
    built = []
    for row in rows:
        code = fragment("{}", row.indicator.code)
        row_drill = drill.replace("CODE", row.indicator.code)
        tds = []
        if with_total:
            name = total_name or (row.total.division.name if row.total.division is not None else labels["city"])
            tds.append(fragment(TOTAL, words.classes[row.total.passed], _column_label(name, row.total, labels),
                                words.result(row.total)))
        for result in row.parts:
            name = names.get(result.division.pk)
            if name is None:  # escaped once per table
                name = names[result.division.pk] = fragment("{}", result.division.name)
            link = fragment("{}?{}", row_drill.replace("DIVISION", result.division.code), query)
            label = name if getattr(result, "basis", None) is None else _column_label(result.division.name, result, labels)
            tds.append(fragment(PART, words.classes[result.passed], label, words.result(result), link,
                                words.words["details"], code, name))
        built.append(join(tds, "\n"))
    return built
