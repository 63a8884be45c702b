from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import opening, permissions, scoping
from core.caching import cache_public_page, city_scope, depends_on, division_scope, record_scope
from core.opening import annotate_today, calendar_days, is_open_at, next_change, next_minute, special_day, week_schedule
from core.places import listed_districts, resolve_district
from core.public_lists import filtered_list, page_query
from eldercare import selectors, services
from eldercare.forms import CategoryFilterForm, FacilityFilterForm, NearestForm, StreetChoiceForm, VisitRecordForm
from eldercare.models import Elder, ElderAccessLog, FacilityKind

PAGE_SIZE = 20


@cache_public_page
def facility_list(request):
    moment = opening.local_now()  # through the module: tests set the clock there
    special = special_day(moment.date())

    def facilities(form):
        return selectors.public_facilities(**form.filters(), moment=moment, special=special)

    form, paginator = filtered_list(request, "eldercare", FacilityFilterForm, FacilityFilterForm, selectors.with_names,
                                    PAGE_SIZE, rows=facilities, total="eldercare.facility.operating")
    depends_on(request, division_scope("eldercare", form.chosen()))
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.with_labels(annotate_today(page.object_list, moment, special))
    depends_on(request, until=next_minute(moment) if form.open_now_chosen() else next_change(rows, moment, special))
    return render(
        request,
        "eldercare/list.html",
        {"form": form, "page": page, "facilities": rows, "query": page_query(request)},
    )


@cache_public_page
def facility_detail(request, pk):
    depends_on(request, record_scope("eldercare", pk))
    facility = selectors.public_facility(pk)
    if facility is None:
        raise Http404
    moment = opening.local_now()  # through the module: tests set the clock there
    today = moment.date()
    days = calendar_days(today, today + timedelta(days=6))  # the week's calendar: today's row too, one query
    special = days.get(today)
    depends_on(request, until=next_change([facility], moment, special))
    return render(
        request,
        "eldercare/detail.html",
        {
            "facility": facility,
            "schedule": week_schedule(facility, start=today, days=days),
            "open_now": is_open_at(facility, moment, special, lookup=False),
            "is_institution": facility.kind == FacilityKind.INSTITUTION,
            "is_street_centre": facility.kind == FacilityKind.STREET_CENTRE,
        },
    )


@cache_public_page
def nearest(request):
    depends_on(request, city_scope("eldercare"))  # the nearest may lie in another street or district
    community = None
    if request.GET.get("community"):
        community = selectors.community_by_code(request.GET["community"])
    if community is not None:
        street = community.street.code if community.street_id else ""
        district = community.district.code if community.district_id else ""
    else:
        street = request.GET.get("street", "")
        if street:
            district = selectors.district_of_street(street)
        else:
            district = resolve_district(request.GET.get("district", ""), by="code")
        district, street = (district, street) if district else ("", "")
    if community is not None:
        streets, communities = selectors.around(community)
    else:
        streets = selectors.streets_of_district(district) if district else []
        communities = selectors.communities_of_street(street) if street else []
    districts = listed_districts(by="code")  # None: too many to list, typed by name
    typed = districts is None
    shown = district
    if typed:  # the text field shows the name
        shown = community.district.name if community is not None and community.district_id else request.GET.get("district", "")
    form = NearestForm(
        initial={"district": shown, "street": street, "community": community.code if community else ""},
        districts=districts,
        streets=streets,
        communities=communities,
    )
    rows, unlocated = [], 0
    if community is not None and community.has_location:
        rows, unlocated = selectors.nearest_facilities(community)
    return render(
        request,
        "eldercare/nearest.html",
        {
            "form": form, "community": community, "rows": rows, "unlocated": unlocated,
            "district_chosen": bool(streets), "street_chosen": bool(communities),
        },
    )


@login_required
def visits_todo(request):
    user = request.user
    streets = selectors.streets_for(user)
    street, street_form = None, None
    if user.is_clerk:
        street = user.division
    else:
        street_form = StreetChoiceForm(request.GET or None, streets=streets)
        if street_form.is_valid():
            street = street_form.cleaned_data["street"]
    category_form = CategoryFilterForm(request.GET or None)
    category = category_form.cleaned_data["category"] if category_form.is_valid() else None
    context = {"street": street, "street_form": street_form, "can_record": permissions.can_edit(user),
               "category_form": category_form, "category": category}
    if street is not None:
        today = selectors.local_today()
        context.update(
            today=today,
            figures=selectors.visit_rate(user, street, today),
            elders=selectors.unvisited_elders(user, street, today, category=category),
            record_form=VisitRecordForm(),
        )
    return render(request, "eldercare/visits_todo.html", context)


@login_required
@require_POST
def record_visit(request, pk):
    elder = scoping.get_for_edit(request.user, Elder.objects.select_related("community", "community__street"), pk=pk)
    form = VisitRecordForm(request.POST)
    if not form.is_valid():
        if "method" in form.errors:
            raise PermissionDenied  # only a hand-made request sends an unknown method
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, _("%(name)s：%(problem)s") % {"name": elder.name, "problem": problem})
        return redirect(_todo_url(request.user, elder))
    visit, created = services.record_visit(
        user=request.user, elder=elder, method=form.cleaned_data["method"], on=form.cleaned_data["visited_on"],
        note=form.cleaned_data["note"],
    )
    if created:
        messages.success(
            request,
            _("已记录 %(name)s（%(code)s）%(date)s 的%(method)s探访。")
            % {"name": elder.name, "code": elder.code, "date": visit.visited_on, "method": visit.get_method_display()},
        )
    else:
        messages.info(request, _("%(name)s %(date)s 已有您的这条探访记录。") % {"name": elder.name, "date": visit.visited_on})
    return redirect(_todo_url(request.user, elder))


def _todo_url(user, elder):
    url = reverse("eldercare:visits_todo")
    if not user.is_clerk:
        url += "?" + urlencode({"street": elder.community.street.code})
    return url


@login_required
@require_POST
def reveal_phone(request, pk):
    """The full phone number, for the clerk who must call the elder: only whoever may record visits, each reveal
    in the access log (POST, so that no prefetch or crawler reveals it)."""
    elder = scoping.get_for_edit(request.user, Elder.objects.select_related("community", "community__street"), pk=pk)
    services.log_elder_access(
        user=request.user, elder=elder, channel=ElderAccessLog.Channel.REVEAL, path=request.path
    )
    return render(request, "eldercare/reveal_phone.html", {
        "elder": elder, "back": _todo_url(request.user, elder), "record_form": VisitRecordForm(),
    })
