"""Pages of the plan's timeline: trends, snapshot comparison, evaluation reports and background jobs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance import comparison, jobs, reports, rules, selectors, timeline, trends
from compliance.forms import BackfillForm, ReportForm
from compliance.models import Job, Level, MonthRecord
from core import permissions
from core.dates import last_full_month


def _require_bureau(user):
    if not permissions.can_view_all(user):
        raise PermissionDenied


def _indicator(code):
    try:
        return rules.get(code)
    except KeyError:
        raise Http404 from None


def _chart_args(target, *, with_baseline):
    if target is None:
        return {}
    return {
        "target": target.figure, "symbol": target.symbol,
        "baseline": target.baseline if with_baseline else None, "baseline_year": target.baseline_year,
        "midterm": target.midterm if with_baseline else None,
    }


@login_required
def trend(request, code):
    """One indicator month by month (or year by year) from the stored months: the city's chart and table, and
    the districts year by year (any district's own chart with ``?division=``). Two charts at most, whatever
    the number of districts; one query for the whole series."""
    _require_bureau(request.user)
    indicator = _indicator(code)
    yearly = request.GET.get("by") == "year"
    plan, targets = selectors.plan_in_force()
    target = targets.get(code)
    districts = selectors.districts()
    chosen = request.GET.get("division", "")
    # The city and the chosen district month by month; the other districts only at each year's end (and the
    # last stored month): the page stays the same size whatever the number of districts.
    last = MonthRecord.objects.order_by("-month").values("month")[:1]
    found = trends.series(code, where=Q(level=Level.CITY) | Q(division_code=chosen) | Q(
        level=Level.DISTRICT, record__month__month=12) | Q(level=Level.DISTRICT, record__month=Subquery(last)))
    shown = [("ALL", _("全市"))] + [(d.code, d.name) for d in districts if d.code == chosen and not indicator.city_only]
    blocks = []
    for division_code, name in shown:
        one = found.get(division_code) or trends.Series(division_code, name)
        points = one.yearly() if yearly else one.points
        city = division_code == "ALL"
        args = _chart_args(target, with_baseline=city) if city or not indicator.city_only else {}
        blocks.append({
            "code": division_code, "name": name, "points": points, "rows": trends.table_rows(points, yearly=yearly),
            "svg": trends.chart(points, title=f"{indicator.code} {indicator.name} · {name}", yearly=yearly, **args),
        })
    years = sorted({point.month.year for point in (found.get("ALL") or trends.Series("ALL", "")).points})
    by_district = []
    if not indicator.city_only:
        for district in districts:
            yearly_points = {point.month.year: point for point in (found.get(district.code) or
                                                                   trends.Series(district.code, "")).yearly()}
            by_district.append((district, [yearly_points.get(year) for year in years]))
    return render(request, "compliance/trend.html", {
        "plan": plan, "indicator": indicator, "target": target, "blocks": blocks, "yearly": yearly,
        "stored_months": bool(years), "years": years, "chosen": chosen,
        "by_district": trends.year_table(by_district, years) if by_district else "",
    })


def street_trends_for(street, targets):
    """A street's own series of every indicator (one query), for its street page."""
    found = {}
    for code, month, value, passed, target in (
        selectors_month_figures().filter(division_code=street.code).order_by("indicator", "record__month")
        .values_list("indicator", "record__month", "value", "passed", "target")
    ):
        found.setdefault(code, []).append(trends.Point(month, value, passed, target))
    out = []
    for code, indicator in rules.INDICATORS.items():
        points = found.get(code)
        if not points:
            continue
        target = targets.get(code)
        out.append({"indicator": indicator, "points": points, "rows": trends.table_rows(points), "svg": trends.chart(
            points, title=f"{indicator.code} {indicator.name} · {street.name}", **(
                {} if indicator.city_only else _chart_args(target, with_baseline=False)),
        )})
    return out


def selectors_month_figures():
    from compliance.models import MonthFigure

    return MonthFigure.objects.all()


# -- snapshots ------------------------------------------------------------------------------------


@login_required
def compare(request):
    """Two snapshots, or a snapshot and a month (stored or computed as of its end), or a snapshot and today."""
    _require_bureau(request.user)
    snapshots = list(selectors.snapshots())
    left_key, right_key = request.GET.get("a", ""), request.GET.get("b", "today")
    b_month = request.GET.get("b_month", "")
    if b_month:  # "or the end of a month" overrides the list
        right_key = f"month:{b_month}"
    context = {"snapshots": snapshots, "a": left_key, "b": right_key, "b_month": b_month}
    if left_key:
        try:
            left, right = comparison.side(left_key), comparison.side(right_key)
        except comparison.Unknown as exc:
            messages.error(request, str(exc))
        else:
            changed_only = request.GET.get("changed") == "1"
            lines = comparison.lines(left, right, districts=selectors.districts())
            context.update({
                "left": left, "right": right, "changed_only": changed_only,
                "lines": [line for line in lines if line.changed] if changed_only else lines,
                "changed_count": sum(line.changed for line in lines), "line_count": len(lines),
            })
    return render(request, "compliance/compare.html", context)


# -- evaluation reports and jobs --------------------------------------------------------------------


def _report_params(request):
    form = ReportForm(request.GET if request.method == "GET" else request.POST)
    if not form.is_valid():
        raise Http404(form.first_error)
    params = form.params
    if params["district"]:
        selectors.division_for(request.user, params["district"])
    return params


@login_required
def report_page(request):
    """The choice of year and level, the printable report, and the downloads (built in the background)."""
    _require_bureau(request.user)
    if "year" not in request.GET:
        return render(request, "compliance/reports.html", {
            "years": reports.YEARS, "districts": selectors.districts(),
            "jobs": Job.objects.filter(kind=Job.Kind.REPORT, created_by=request.user).defer("content")[:10],
        })
    params = _report_params(request)
    report = reports.build(**params)
    return render(request, "compliance/report_print.html", {"report": report, "params": params})


@login_required
@require_POST
def report_start(request):
    _require_bureau(request.user)
    params = _report_params(request)
    title = reports.title(params)
    job = jobs.start(kind=Job.Kind.REPORT, title=title, params=params, user=request.user)
    return redirect("compliance:job", pk=job.pk)


@login_required
def months_page(request):
    """The stored months and the backfill form (a background job)."""
    _require_bureau(request.user)
    if request.method == "POST":
        form = BackfillForm(request.POST)
        if form.is_valid():
            first, last = (f"{form.cleaned_data[key]:%Y-%m}" for key in ("first", "last"))
            job = jobs.start(
                kind=Job.Kind.BACKFILL, user=request.user, params={"first": first, "last": last},
                title=_("补算 %(first)s 至 %(last)s 的月度数据") % {"first": first, "last": last},
            )
            return redirect("compliance:job", pk=job.pk)
        for message in dict.fromkeys(error for errors in form.errors.values() for error in errors):
            messages.error(request, message)
    first = timeline.first_data_month()
    return render(request, "compliance/months.html", {
        "records": MonthRecord.objects.select_related("plan").order_by("-month")[:120],
        "first_value": f"{first:%Y-%m}" if first else "", "last_value": f"{last_full_month(timezone.localdate()):%Y-%m}",
        "jobs": Job.objects.filter(kind=Job.Kind.BACKFILL).defer("content")[:10],
    })


@login_required
def job_detail(request, pk):
    _require_bureau(request.user)
    job = get_object_or_404(Job.objects.defer("content"), pk=pk)
    return render(request, "compliance/job.html", {"job": job, "running": job.state in (Job.State.QUEUED, Job.State.RUNNING)})


@login_required
def job_download(request, pk):
    _require_bureau(request.user)
    job = get_object_or_404(Job, pk=pk, state=Job.State.DONE)
    if not job.content:
        raise Http404
    response = HttpResponse(bytes(job.content), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
