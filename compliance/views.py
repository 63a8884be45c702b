"""Thin views: parse the request, call a selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from compliance import (
    charts,
    comparison,
    display,
    exports,
    extensions,
    rules,
    selectors,
    selectors_official,
    services,
    timeline,
)
from compliance.forms import PeriodForm, SnapshotForm
from compliance.kinds import Context
from compliance.models import Snapshot
from compliance.views_timeline import street_trends_for as _street_trends
from core import permissions, scoping
from core.dates import last_full_month
from core.models import Division, Level


class Period:
    """What a compliance page shows: today's records with E5 of ``?month``, or (``as_of=1``) every figure
    as the records stood at the end of that month (``compliance.timeline``; 无数据 outside the data)."""

    def __init__(self, request):
        form = PeriodForm(request.GET)
        self.ctx = Context(month=form.chosen_month)
        self.as_of = form.as_of_month
        self.month_value = f"{self.ctx.month:%Y-%m}"
        self.query = f"month={self.month_value}" + ("&as_of=1" if self.as_of else "")
        self.has_data = timeline.has_data(self.ctx.month) if self.as_of else True

    def run(self, compute, empty):
        """``compute()`` today, or inside the month's as-of block; ``empty()`` for a month without data.

        On today's records E5 is empty (无数据) for a month before the first recorded visit or after this one.
        """
        if not self.as_of:
            result = compute()
            # Only a month without a single visit can be outside the data: no extra query otherwise.
            if not any(row.total.numerator for row in timeline.rows_of(result, "E5")) and \
                    not timeline.has_visits(self.ctx.month):
                timeline.no_data_for(result, "E5")
            return result
        if not self.has_data:
            return empty()
        with timeline.as_of(self.ctx.month):
            return compute()

    def context(self):
        return {"ctx": self.ctx, "month_value": self.month_value, "period_query": self.query, "as_of": self.as_of,
                "has_data": self.has_data}


def _indicator(code):
    try:
        return rules.get(code)
    except KeyError:
        raise Http404 from None


def _require_bureau(user):
    if not permissions.can_view_all(user):
        raise PermissionDenied


def _write(request, service, success):
    """Run a service write: its refusals (ValidationError) shown as error messages, else ``success(result)``.

    Returns the result, or None when refused.
    """
    try:
        result = service()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    messages.success(request, success(result))
    return result


#: A board shows at most this many of its children as columns; ``?cols=N`` pages through the rest, while the whole
#: division's total stays in the first column on every page. A real city's districts or a province's cities (Jixi
#: has 9, Jilin 9) fit on one page; a city of 99 districts would be a 1 MB page no one reads side by side. Twenty
#: columns were 4,100 px of table at 1,366 px (four columns on screen); ten are half of it, and half the page.
COLUMNS_PER_PAGE = 10


def _board(request, period, *, paged=True):
    """The board a request asks for (``?division=CODE`` below the user's own), as
    ``(rows, columns, judging, root, page of columns or None)``; every column when not ``paged`` (the export)."""
    code = request.GET.get("division", "")
    division = selectors.board_division(request.user, code) if code and not permissions.is_clerk(request.user) else None
    pages = []

    def pick(parts):
        if not paged:
            return parts
        page = Paginator(parts, COLUMNS_PER_PAGE).get_page(request.GET.get("cols"))
        pages.append(page)
        return list(page.object_list)

    def compute():
        return selectors.board_for(request.user, ctx=period.ctx, division=division, official=not period.as_of,
                                   pick=pick)

    def empty():
        rows, *rest = compute()
        return (timeline.no_data(rows), *rest)

    return (*period.run(compute, empty), pages[-1] if pages else None)


def _breadcrumb(user, root):
    """The boards above ``root`` that ``user`` may open, top first."""
    own = selectors.user_root(user)
    trail = []
    node = root
    while node is not None and node.parent_id and (own is None or node.pk != own.pk):
        node = node.parent
        trail.append(node)
        if own is not None and node.pk == own.pk:
            break
    return list(reversed(trail))


@login_required
def matrix(request):
    period = Period(request)
    ctx = period.ctx
    rows, columns, judging, root, column_page = _board(request, period)
    plan = judging.plan
    street = selectors.user_street(request.user)
    total_basis, column_bases = selectors_official.coverage(rows)
    failing_only = request.GET.get("failing") == "1"
    if failing_only:
        rows = [row for row in rows if any(result.passed is False for result in (row.total, *row.parts))]
    return render(request, "compliance/matrix.html", {
        "plan": plan, "rows": rows, "columns": columns, "street": street, "failing_only": failing_only,
        "table": list(zip(rows, display.matrix_rows(rows, period.query, with_total=street is None,
                                                    total_name=root.name if root is not None else None), strict=True)),
        "charts": [(row, charts.bars(row)) for row in rows] if street is None else [],
        "can_see_trends": permissions.can_view_all(request.user), "total_basis": total_basis,
        "column_heads": [
            (column, basis, judging.plan_of(column))
            for column, basis in zip(columns, column_bases or [None] * len(columns), strict=True)
        ],
        "district": selectors.user_district(request.user), "root": root, "column_page": column_page,
        "breadcrumb": _breadcrumb(request.user, root) if street is None else [],
        "division_query": f"division={root.code}&" if root is not None and request.GET.get("division") else "",
        "extra_rows": _labelled(extensions.matrix_rows(request.user, ctx.month, columns, root), street, columns,
                                root),
        **period.context(),
    })


def _labelled(extra_rows, street, columns, root):
    """Each extra row's cells with their column's name (a narrow screen stacks the row: ``data-label``)."""
    names = ([] if street is not None else [root.name if root is not None else _("全市")]) + [c.name for c in columns]
    for extra in extra_rows:
        extra["labelled"] = list(zip(names, extra["cells"], strict=False))
    return extra_rows


@login_required
def drill(request, code, division_code):
    indicator = _indicator(code)
    division = selectors.division_for(request.user, division_code)
    period = Period(request)
    judging = selectors.judging_for(division, selectors.children_of(division) if division.level != Level.STREET else ())

    def compute():
        return selectors.drill_down(indicator=indicator, division=division, ctx=period.ctx, judging=judging,
                                    official=not period.as_of)

    def empty():
        row, _failing = compute()
        return timeline.no_data([row])[0], []

    row, failing = period.run(compute, empty)
    total_basis, _parts = selectors_official.coverage([row])
    return render(request, "compliance/drill.html", {
        "total_basis": total_basis,
        "plan": judging.plan, "indicator": indicator, "division": division, "row": row, "failing": failing,
        "part_plans": [(result, judging.plan_of(result.division)) for result in row.parts],
        "lists_units": division.level in selectors.UNIT_LEVELS,
        # A street clerk may not open the district (nor a city reviewer the province): its name is shown
        # without a link (no breadcrumb to a 404).
        "parent_visible": bool(division.parent_id) and scoping.scope(
            request.user, Division.objects.filter(pk=division.parent_id)
        ).exists(),
        **period.context(),
    })


@login_required
def street(request, code):
    division = selectors.division_for(request.user, code)
    if division.level != Level.STREET:
        raise Http404
    period = Period(request)
    judging = selectors.judging_for(division)
    plan, targets = judging.plan, judging.targets

    def compute():
        return selectors.street_board(street=division, ctx=period.ctx, targets=targets, official=not period.as_of)

    def empty():
        rows, _missing = compute()
        return timeline.no_data(rows), {}

    rows, missing = period.run(compute, empty)
    total_basis, _parts = selectors_official.coverage(rows)
    return render(request, "compliance/street.html", {
        "total_basis": total_basis,
        "plan": plan, "street": division, "rows": [(row, missing.get(row.indicator.code, [])) for row in rows],
        "quality": selectors.data_quality(division), "rule_issues": extensions.street_quality(division),
        # One way to return data: the reporting cycle's return, tied to the indicator and the records (with a
        # deadline); the free-text returns of before it are only read.
        "returns_html": extensions.street_returns(request.user, division, period.ctx.month),
        "corrections": selectors.corrections_for(request.user).filter(street=division),
        "trends": _street_trends(division, targets), **period.context(),
    })


@login_required
def corrections(request):
    """The free-text returns made before the reporting cycle, read-only: none is created, fixed or closed any
    more (a return is now made on a period, naming the indicator and the records)."""
    return render(request, "compliance/corrections.html", {"corrections": selectors.corrections_for(request.user)})


@login_required
def snapshot_list(request):
    _require_bureau(request.user)
    if request.method == "POST":
        form = SnapshotForm(request.POST)
        ctx = Context(month=form.chosen_month)
        plan, targets = selectors.plan_in_force()
        if form.as_of_month:  # the figures as the records stood at the end of the month
            rows = timeline.evaluate(month=ctx.month, targets=targets, parts=selectors.districts())
        else:
            rows = selectors.city_board(ctx=ctx, targets=targets)
        snapshot = _write(
            request, lambda: services.freeze(user=request.user, name=form.cleaned_data.get("name", ""), plan=plan,
                                             ctx=ctx, rows=rows),
            lambda snapshot: _("已保存快照“%(name)s”。") % {"name": snapshot.name},
        )
        if snapshot is not None:
            return redirect("compliance:snapshot", pk=snapshot.pk)
    return render(request, "compliance/snapshots.html", {
        "snapshots": selectors.snapshots(), "month_value": f"{last_full_month():%Y-%m}",
    })


@login_required
def snapshot_detail(request, pk):
    _require_bureau(request.user)
    snapshot = get_object_or_404(Snapshot.objects.select_related("created_by"), pk=pk)
    return render(request, "compliance/snapshot.html", {"snapshot": snapshot, "lines": comparison.snapshot_diff(snapshot)})


@login_required
def export_xlsx(request):
    period = Period(request)
    ctx = period.ctx
    rows, columns, judging, root, _page = _board(request, period, paged=False)
    content = exports.workbook(rows, plan=judging.plan, ctx=ctx, parts=columns)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    suffix = f"-{root.code}" if root is not None and request.GET.get("division") else ""
    response["Content-Disposition"] = f'attachment; filename="compliance-{ctx.month:%Y-%m}{suffix}.xlsx"'
    return response
