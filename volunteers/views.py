from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core.caching import cache_public_page, depends_on, division_scope, record_scope
from core.public_lists import filtered_list
from volunteers import selectors
from volunteers.filters import TeamFilter
from volunteers.forms import DeadlineFilterForm
from volunteers.models import CertificateLevel

TEAMS_PER_PAGE = 20  # as the other public lists: a light page on a phone


@cache_public_page
def team_list(request):
    def filters(data=None):
        return TeamFilter(data, queryset=selectors.public_teams(hours=False))

    team_filter, paginator = filtered_list(
        request, "volunteers", TeamFilter, filters, selectors.with_names, TEAMS_PER_PAGE, total="volunteers.team.all")
    depends_on(request, division_scope("volunteers", team_filter.chosen()))
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "volunteers/team_list.html", {
        "filter": team_filter,
        "page": page,
        "teams": [selectors.PublicTeam.of(team) for team in selectors.with_recent_hours(page.object_list)],
        "query": query.urlencode(),
    })


@cache_public_page
def team_detail(request, pk):
    depends_on(request, record_scope("volunteers", pk))
    team = selectors.public_team(pk)
    if team is None:
        raise Http404
    months = selectors.monthly_hours(team)
    # The last 12 months' hours are the months' sums added up: the same records (date from hours_since), not
    # a second SUM joined to the team's row.
    team.recent_hours = sum((row["hours"] for row in months), Decimal(0))
    return render(request, "volunteers/team_detail.html", {
        "team": selectors.PublicTeam.of(team),
        "months": months,
    })


@login_required
def deadlines(request):
    user = request.user
    form = None
    if user.is_clerk:
        division = user.division
    else:
        form = DeadlineFilterForm(request.GET or None)
        division = form.cleaned_data["division"] if form.is_valid() else None
    return render(request, "volunteers/deadlines.html", {
        "form": form,
        "division": division,
        "registrations": selectors.registrations_due(user, division),
        "education": selectors.education_short(user, division),
        "warning_days": settings.REGISTRATION_WARNING_DAYS,
        "required_hours": [
            (CertificateLevel(level).label, hours) for level, hours in settings.SOCIAL_WORK_EDUCATION_HOURS.items()
        ],
    })
