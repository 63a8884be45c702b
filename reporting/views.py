"""Thin views of the reporting cycle: parse the request, call a selector or service, render."""

import re
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance.rules import INDICATORS
from core import permissions, scoping
from core.models import Division, Level
from reporting import rules, selectors, services
from reporting.models import Period, ReturnItem, Status

MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def _month(text):
    match = MONTH.fullmatch(text or "")
    if not match:
        raise Http404
    return date(int(match[1]), int(match[2]), 1)


def _street(user, code):
    return scoping.get_for_user(user, Division.objects.select_related("parent"), code=code, level=Level.STREET)


def _period(user, code, month_text, *, create=False):
    street = _street(user, code)
    month = _month(month_text)
    if create:
        return services.get_period(street, month)
    return Period.objects.filter(street=street, month=month).first() or Period(street=street, month=month)


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


@login_required
def home(request):
    user = request.user
    month = services.period_to_submit()
    if user.is_clerk:
        return redirect("reporting:period", code=user.division.code, month=f"{month:%Y-%m}")
    return render(request, "reporting/home.html", {
        "waiting": selectors.waiting_for(user), "month": month, "month_value": f"{month:%Y-%m}",
        "returns": selectors.returns_for(user), "today": timezone.localdate(),
        "changed": selectors.changed_after_approval(user),
    })


@login_required
def period_detail(request, code, month):
    user = request.user
    period = _period(user, code, month)
    street = period.street
    issues = rules.street_issues(street) if period.can_submit or period.pk is None else []
    changes, editors = selectors.changes_after_approval(period) if period.pk else ([], [])
    is_clerk = permissions.is_clerk_of(user, street.pk)
    can_review = permissions.can_review(user, street)
    return render(request, "reporting/period.html", {
        "period": period, "street": street, "deadline": services.deadline_for(period.month),
        "issues": issues, "errors": [issue for issue in issues if issue.is_error],
        "warnings": [issue for issue in issues if not issue.is_error],
        "events": selectors.history(period) if period.pk else [],
        "explanations": period.explanations.select_related("user") if period.pk else [],
        "returns": period.returns.select_related("created_by", "fixed_by", "content_type") if period.pk else [],
        "changes": changes, "editors": editors, "is_clerk": is_clerk, "can_review": can_review,
        "can_accept": permissions.can_accept(user), "Status": Status,
        "record_choices": services.record_choices(street) if can_review and period.status == Status.SUBMITTED else [],
        "indicators": list(INDICATORS.values()), "return_days": settings.REPORTING_RETURN_DAYS,
        "today": timezone.localdate(),
    })


@login_required
@require_POST
def transition(request, code, month, action):
    user = request.user
    street = _street(user, code)
    allowed = {
        "submit": permissions.is_clerk_of(user, street.pk),
        "return": permissions.can_review(user, street), "approve": permissions.can_review(user, street),
        "reopen": permissions.can_review(user, street), "accept": permissions.can_accept(user),
    }
    if action not in allowed:
        raise Http404
    if not allowed[action]:
        raise PermissionDenied  # before anything is written
    period = _period(user, code, month, create=True)
    note = request.POST.get("note", "")
    try:
        if action == "submit":
            explanations = {key[len("explain:"):]: value for key, value in request.POST.items()
                            if key.startswith("explain:")}
            services.submit(user=user, period=period, explanations=explanations, note=note)
            messages.success(request, _("已提交 %(month)s 的数据，等待区县审核。") % {"month": month})
        elif action == "return":
            deadline = parse_date(request.POST.get("deadline", "") or "") if request.POST.get("deadline") else None
            services.return_period(
                user=user, period=period, reason=request.POST.get("reason", ""),
                records=request.POST.getlist("records"), indicator=request.POST.get("indicator", ""),
                deadline=deadline,
            )
            messages.success(request, _("已退回，街道将在记录上看到退回事项。"))
        elif action == "approve":
            services.approve(user=user, period=period, note=note)
            messages.success(request, _("已审核通过，本月数据已冻结为正式数据。"))
        elif action == "accept":
            services.accept(user=user, period=period, note=note)
            messages.success(request, _("已确认。"))
        elif action == "reopen":
            services.reopen(user=user, period=period, note=note)
            messages.success(request, _("已重新打开，街道可以再次提交。"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("reporting:period", code=code, month=month)


@login_required
@require_POST
def return_fix(request, pk):
    item = scoping.get_for_user(request.user, ReturnItem.objects.select_related("period", "street"), pk=pk)
    try:
        services.mark_fixed(user=request.user, item=item, note=request.POST.get("note", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已标记为已修改，等待审核员核实。"))
    return redirect("reporting:period", code=item.street.code, month=item.period.month_text)


@login_required
@require_POST
def return_close(request, pk):
    item = scoping.get_for_user(request.user, ReturnItem.objects.select_related("period", "street"), pk=pk)
    try:
        services.close_item(user=request.user, item=item)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已核实关闭。"))
    return redirect("reporting:period", code=item.street.code, month=item.period.month_text)


@login_required
def completeness(request):
    user = request.user
    if user.is_clerk:
        raise Http404
    month = _month(request.GET["month"]) if "month" in request.GET else services.period_to_submit()
    district = user.division if user.is_district_reviewer else None
    if district is None and not permissions.can_view_all(user):
        raise Http404
    # A city (or province) reviewer's own division: another city's streets are out of their sight.
    within = None if district is not None else permissions.bureau_division(user)
    city, tallies = selectors.completeness(month, district=district, within=within)
    return render(request, "reporting/completeness.html", {
        "city": city, "tallies": tallies, "month": month, "month_value": f"{month:%Y-%m}",
        "deadline": services.deadline_for(month), "district": district,
    })
