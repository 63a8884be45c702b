"""Thin views: parse the request, call a selector or service, render."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance import charts, display, exports, indicators, selectors, services
from compliance.indicators import Context, last_full_month, month_bounds
from compliance.models import CorrectionRequest, Snapshot
from core import scoping
from core.models import Level

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _context(request):
    """The month for E5 from ``?month=YYYY-MM`` (default: the last full month)."""
    raw = request.GET.get("month", "")
    if MONTH.fullmatch(raw):
        return Context(month=month_bounds(raw)[0])
    return Context(month=last_full_month(timezone.localdate()))


def _indicator(code):
    try:
        return indicators.get(code)
    except KeyError:
        raise Http404 from None


def _require_bureau(user):
    if not scoping.can_view_all(user):
        raise PermissionDenied


@login_required
def matrix(request):
    ctx = _context(request)
    plan, targets = selectors.plan_in_force()
    rows, columns = selectors.board_for(request.user, ctx=ctx, targets=targets)
    street = selectors.user_street(request.user)
    return render(request, "compliance/matrix.html", {
        "plan": plan, "rows": rows, "columns": columns, "ctx": ctx, "street": street,
        "table": [(row, display.matrix_row(row, f"{ctx.month:%Y-%m}", with_total=street is None)) for row in rows],
        "charts": [(row, charts.bars(row)) for row in rows] if street is None else [],
        "month_value": f"{ctx.month:%Y-%m}",
    })


@login_required
def drill(request, code, division_code):
    indicator = _indicator(code)
    division = selectors.division_for(request.user, division_code)
    ctx = _context(request)
    plan, targets = selectors.plan_in_force()
    row, failing = selectors.drill_down(indicator=indicator, division=division, ctx=ctx, targets=targets)
    return render(request, "compliance/drill.html", {
        "plan": plan, "indicator": indicator, "division": division, "row": row, "failing": failing,
        "ctx": ctx, "month_value": f"{ctx.month:%Y-%m}",
    })


@login_required
def street(request, code):
    division = selectors.division_for(request.user, code)
    if division.level != Level.STREET:
        raise Http404
    ctx = _context(request)
    plan, targets = selectors.plan_in_force()
    rows, missing = selectors.street_board(street=division, ctx=ctx, targets=targets)
    return render(request, "compliance/street.html", {
        "plan": plan, "street": division, "rows": [(row, missing.get(row.indicator.code, [])) for row in rows],
        "quality": selectors.data_quality(division), "ctx": ctx, "month_value": f"{ctx.month:%Y-%m}",
        "corrections": selectors.corrections_for(request.user).filter(street=division),
        "can_return": scoping.can_view_all(request.user), "indicator_codes": list(indicators.INDICATORS),
    })


@login_required
@require_POST
def return_street(request, code):
    _require_bureau(request.user)
    division = selectors.division_for(request.user, code)
    try:
        services.return_for_correction(
            user=request.user, street=division, comment=request.POST.get("comment", ""),
            indicator=request.POST.get("indicator", "") if request.POST.get("indicator") in indicators.INDICATORS else "",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已将%(street)s的数据退回修改。") % {"street": division.name})
    return redirect("compliance:street", code=division.code)


@login_required
def corrections(request):
    return render(request, "compliance/corrections.html", {
        "corrections": selectors.corrections_for(request.user), "is_bureau": scoping.can_view_all(request.user),
    })


@login_required
@require_POST
def correction_fix(request, pk):
    correction = scoping.get_for_user(request.user, CorrectionRequest.objects.all(), pk=pk)
    try:
        services.mark_fixed(user=request.user, correction=correction, note=request.POST.get("note", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已标记为已修改，等待民政局核实。"))
    return redirect("compliance:corrections")


@login_required
@require_POST
def correction_close(request, pk):
    _require_bureau(request.user)
    correction = get_object_or_404(CorrectionRequest, pk=pk)
    try:
        services.close(user=request.user, correction=correction)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已关闭。"))
    return redirect("compliance:corrections")


@login_required
def snapshot_list(request):
    _require_bureau(request.user)
    if request.method == "POST":
        raw = request.POST.get("month", "")
        ctx = Context(month=month_bounds(raw)[0] if MONTH.fullmatch(raw) else last_full_month())
        plan, targets = selectors.plan_in_force()
        try:
            snapshot = services.freeze(
                user=request.user, name=request.POST.get("name", ""), plan=plan, ctx=ctx,
                rows=selectors.city_board(ctx=ctx, targets=targets),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已保存快照“%(name)s”。") % {"name": snapshot.name})
            return redirect("compliance:snapshot", pk=snapshot.pk)
    return render(request, "compliance/snapshots.html", {
        "snapshots": selectors.snapshots(), "month_value": f"{last_full_month():%Y-%m}",
    })


@login_required
def snapshot_detail(request, pk):
    _require_bureau(request.user)
    snapshot = get_object_or_404(Snapshot.objects.select_related("created_by"), pk=pk)
    ctx = Context(month=month_bounds(snapshot.month)[0])
    _plan, targets = selectors.plan_in_force()
    today = services.snapshot_data(selectors.city_board(ctx=ctx, targets=targets))
    divisions = ["ALL", *[division.code for division in selectors.districts()]]
    names = {division.code: division.name for division in selectors.districts()}
    lines = []
    for code, indicator in indicators.INDICATORS.items():
        for division in divisions:
            then = snapshot.data.get(code, {}).get(division)
            now = today.get(code, {}).get(division)
            if then is None and now is None:
                continue
            lines.append({
                "indicator": indicator, "division": names.get(division, _("全市")),
                "then": then or ["", "", ""], "now": now or ["", "", ""], "changed": then != now,
            })
    return render(request, "compliance/snapshot.html", {"snapshot": snapshot, "lines": lines})


@login_required
def export_xlsx(request):
    ctx = _context(request)
    plan, targets = selectors.plan_in_force()
    rows, columns = selectors.board_for(request.user, ctx=ctx, targets=targets)
    content = exports.workbook(rows, plan=plan, ctx=ctx, parts=columns)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="compliance-{ctx.month:%Y-%m}.xlsx"'
    return response
