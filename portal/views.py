"""Residents' pages (one search, near me, report an error, rate) and the staff's to-dos for them.

Thin: parse the request, call portal.search / portal.nearby / portal.services, render. Search and near
me are not page-cached (every query differs); their query count is fixed by tests.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.client_ip import client_ip
from core import permissions, scoping
from core.models import Division
from core.next_open import annotate_opening, upcoming_days
from core.opening import local_now
from core.places import CappedPaginator
from core.public_lists import choice_labels, per_language
from eldercare.models import CareService, FacilityKind
from portal import nearby as near_me
from portal import search as one_search
from portal import selectors, services
from portal.forms import RatingForm, ReportForm
from portal.models import ErrorReport, Rating, Target
from portal.targets import resolve

PAGE_SIZE = 20


def _annotate(objects, moment, days):
    hours = [obj for obj in objects if hasattr(obj, "hours_mon")]
    annotate_opening(hours, moment, days)
    return objects


@per_language
def _closed_lists():
    """The closed lists' words a results page shows, translated once a process per language (``str`` of a lazy
    label per card hashed every choice): eldercare kinds, the kinds of result, and the 十助 as near me's filter."""
    return {
        "facility_kinds": choice_labels(FacilityKind.choices),
        "kinds": choice_labels(Target.choices),
        "all_kinds": tuple((value, str(label)) for value, label in Target.choices),
        # the words that match the 十助 (eldercare) in one search
        "services": tuple(str(label) for _code, label in CareService.Code.choices),
    }


def _labeller():
    """``label(obj, kind)``: an eldercare facility's kind, else the kind of result."""
    words = _closed_lists()
    facility_kinds, kinds = words["facility_kinds"], words["kinds"]

    def label(obj, kind):
        return facility_kinds.get(getattr(obj, "kind", None)) or kinds[kind]

    return label


def search(request):
    text = request.GET.get("q", "")
    kind = request.GET.get("kind") if request.GET.get("kind") in one_search.KINDS else None
    moment = local_now()
    days = upcoming_days(moment)
    page = None
    if kind:
        terms = one_search.terms_of(text)
        groups = []
        if terms:
            queryset = one_search.QUERIES[kind](terms)
            page = CappedPaginator(queryset, PAGE_SIZE, among_found=True).get_page(request.GET.get("page"))
            groups = [one_search.Group(kind=kind, count=page.paginator.count, items=list(page.object_list),
                                       capped=page.paginator.capped)]
    else:
        terms, groups = one_search.search(text)
    label = _labeller()
    for group in groups:
        _annotate(group.items, moment, days)
        group.label = label(None, group.kind)
        for obj in group.items:
            obj.kind_label = label(obj, group.kind)
    return render(request, "portal/search.html", {
        "q": text, "terms": terms, "groups": groups, "kind": kind, "page": page, "moment": moment,
        "total": sum(group.count for group in groups), "capped": any(group.capped for group in groups),
        "list_cap": CappedPaginator.cap,  # what a kind's own pages show at most
    })


def _float(value, low, high):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def near(request):
    params = request.GET
    # What the resident typed wins, then a community picked from the suggestions, then the device's position.
    lat, lon = _float(params.get("lat"), -90, 90), _float(params.get("lon"), -180, 180)
    origin, community, choices = None, None, []
    typed, code = params.get("place", "").strip(), params.get("community", "")
    if typed:
        choices = near_me.communities_named(typed)
        if len(choices) == 1:
            community, choices = choices[0], []
    elif code:
        community = Division.objects.communities().filter(code=code, latitude__isnull=False).first()
    if community is not None:
        lat, lon, origin = community.latitude, community.longitude, community.name
    elif not typed and not code and lat is not None and lon is not None:
        origin = _("您的位置")
    else:
        lat = lon = None
    kinds = [kind for kind in params.getlist("kind") if kind in one_search.KINDS] or list(one_search.KINDS)
    service = params.get("service", "")
    words = _closed_lists()
    service = service if service in words["services"] else ""
    open_now = params.get("open") == "1"
    moment = local_now()
    places = []
    if lat is not None:
        places = near_me.nearby(
            lat, lon, kinds=kinds, terms=one_search.terms_of(service), open_at=moment if open_now else None,
        )
        _annotate([place.obj for place in places], moment, upcoming_days(moment))
        label = _labeller()
        for place in places:
            place.label = label(place.obj, place.kind)
    return render(request, "portal/near.html", {
        "places": places, "origin": origin, "community": community, "choices": choices,
        "lat": lat, "lon": lon, "kinds": kinds, "all_kinds": words["all_kinds"], "service": service,
        "services": words["services"], "open_now": open_now, "place": params.get("place", ""),
        "searched": bool(params), "facility_kinds": FacilityKind,
    })


def places(request):
    """The place picker's suggestions (JSON): communities with a location whose name matches."""
    rows = near_me.communities_named(request.GET.get("q", ""))
    return JsonResponse({"places": [
        {"code": row.code, "name": row.name, "street": row.street.name if row.street else ""} for row in rows
    ]})


def _submission(request, target, pk, form_class, template, submit):
    resolved = resolve(target, pk)
    form = form_class(request.POST or None)
    if request.method == "POST":
        if form.is_robot():
            return render(request, "portal/thanks.html", {"resolved": resolved})  # robots learn nothing
        if form.is_valid():
            if not services.allow_submission(client_ip(request)):
                form.add_error(None, _("提交太频繁了，请一小时后再试，或直接拨打电话联系。"))
            else:
                submit(resolved, form.cleaned_data)
                return render(request, "portal/thanks.html", {"resolved": resolved, "rated": form_class is RatingForm})
    return render(request, template, {"form": form, "resolved": resolved})


def report(request, target, pk):
    return _submission(
        request, target, pk, ReportForm, "portal/report.html",
        lambda resolved, data: services.submit_report(
            resolved=resolved, topic=data["topic"], message=data.get("message", ""), phone=data.get("phone", "")
        ),
    )


def rate(request, target, pk):
    return _submission(
        request, target, pk, RatingForm, "portal/rate.html",
        lambda resolved, data: services.submit_rating(
            resolved=resolved, score=data["score"], comment=data.get("comment", "")
        ),
    )


# --- staff -------------------------------------------------------------------------------------------------


@login_required
def reports_todo(request):
    return render(request, "portal/reports_todo.html", {
        "reports": selectors.open_reports(request.user)[:200], "can_edit": permissions.can_edit(request.user),
    })


@login_required
@require_POST
def close_report(request, pk):
    report = scoping.get_for_user(request.user, ErrorReport.objects.all(), pk=pk)
    if not permissions.can_edit(request.user):
        raise PermissionDenied
    services.close_report(report=report, user=request.user)
    messages.success(request, _("已将“%(name)s”的报错标为已处理。") % {"name": report.object_name})
    return redirect("portal:reports")


@login_required
def ratings_todo(request):
    return render(request, "portal/ratings_todo.html", {
        "ratings": selectors.pending_ratings(request.user)[:200], "can_review": permissions.may_handle_residents_submissions(request.user),
    })


@login_required
@require_POST
def review_rating(request, pk):
    rating = scoping.get_for_user(request.user, Rating.objects.all(), pk=pk)
    if not permissions.may_handle_residents_submissions(request.user) or rating.state != Rating.State.PENDING:
        raise PermissionDenied
    approve = request.POST.get("decision") == "approve"
    services.review_rating(rating=rating, user=request.user, approve=approve)
    messages.success(request, _("已发布这条评价。") if approve else _("已不予发布这条评价。"))
    return redirect("portal:ratings")
