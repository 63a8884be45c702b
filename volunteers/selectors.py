"""Reads of the volunteers app: public team pages, hours per month, registration deadlines."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, DecimalField, F, Prefetch, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core import scoping
from core.compiled import STAND_IN, Prepared, dated, for_ids, placed
from volunteers import privacy
from volunteers.labels import workplace_label
from volunteers.models import ServiceField, ServiceRecord, Team, Worker

#: How many months of service hours the public and admin pages show.
HOURS_MONTHS = 12


# ---------------------------------------------------------------- hours per month


def months_back(day, months):
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    years, month0 = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month0 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def hours_since(today=None, months=HOURS_MONTHS):
    """First day of the window of the last ``months`` months, the current month included."""
    today = today or timezone.localdate()
    return months_back(today.replace(day=1), months - 1)


def monthly_hours(team, *, today=None, months=HOURS_MONTHS):
    """A team's service hours per calendar month, newest first, summed in the database (one query)."""
    rows = (
        ServiceRecord.objects.filter(team=team, date__gte=hours_since(today, months))
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(hours=Sum("hours"))
        .order_by("-month")
    )
    return [{"month": row["month"], "hours": row["hours"]} for row in rows]


# ---------------------------------------------------------------- public pages


@dataclass(frozen=True)
class PublicTeam:
    """Everything a resident may see of a team — and nothing else (no members, no mobile numbers)."""

    pk: int
    name: str
    community: str
    street: str
    district: str
    fields: list
    party_backbone: bool
    member_count: int
    leader: str
    phone: str
    meeting_place: str
    how_to_join: str
    recent_hours: Decimal

    @classmethod
    def of(cls, team):
        leader = str(privacy.leader_title(team.leader))  # translated once for the team, not per text

        def clean(text):
            text = privacy.redact_mobiles(text)
            if team.leader.strip():
                text = text.replace(team.leader.strip(), leader)
            return text

        if hasattr(team, "community_name"):  # a list's row: the names are columns (``with_names``)
            place = team.community_name, team.street_name or "", team.district_name or ""
        else:
            community = team.community
            place = (
                community.name,
                community.street.name if community.street_id else "",
                community.district.name if community.district_id else "",
            )
        return cls(
            pk=team.pk,
            name=team.name,
            community=place[0],
            street=place[1],
            district=place[2],
            fields=team.field_names if hasattr(team, "field_names") else [field.name for field in team.fields.all()],
            party_backbone=team.party_backbone,
            member_count=team.member_count,
            leader=leader,
            phone=privacy.public_phone(team.phone),
            meeting_place=clean(team.meeting_place),
            how_to_join=clean(team.how_to_join),
            recent_hours=getattr(team, "recent_hours", None) or Decimal(0),
        )


# The columns ``PublicTeam`` reads (the rest of a team's record is not public or not shown).
PUBLIC_FIELDS = (
    "name", "party_backbone", "member_count", "leader", "phone", "meeting_place", "how_to_join",
    "community__name", "community__street__name", "community__district__name",
)


def public_teams(*, today=None, hours=True):
    """Every team with its place, fields and hours of the last 12 months (fields prefetched: two queries).

    ``hours=False`` leaves the hours out, for a list that pages first and then adds them to the page's
    teams with ``with_recent_hours`` (summing every team's records before the LIMIT grows with the city).
    """
    teams = (
        Team.objects.select_related("community__street", "community__district")
        .only(*PUBLIC_FIELDS)
        .prefetch_related(Prefetch("fields", queryset=ServiceField.objects.order_by("name").only("name")))
        .order_by("community_code", "code")
    )
    if hours:
        teams = teams.annotate(recent_hours=Sum("records__hours", filter=Q(records__date__gte=hours_since(today))))
    return teams


# A list's row names its community, street and district: columns of the page's query, not three records a row.
LIST_NAMES = {
    "community_name": F("community__name"),
    "street_name": F("community__street__name"),
    "district_name": F("community__district__name"),
}


def public_team(pk):
    """One team as ``PublicTeam.of`` reads it — its public columns, its community's, street's and district's names,
    its fields' names (``field_names``) — or None: two queries compiled once a process (``core.compiled``)."""
    team = _TEAM.instance(Team, pk)
    if team is None:
        return None
    team.field_names = [field["name"] for field in _FIELDS.records(replacing={STAND_IN: team.pk})]
    return team


_TEAM_OWN = ["id", "community_id", *(name for name in PUBLIC_FIELDS if "__" not in name)]
_TEAM = Prepared(Team.objects.filter(pk=STAND_IN).values(*_TEAM_OWN, **LIST_NAMES))
_FIELDS = Prepared(ServiceField.objects.filter(teams=STAND_IN).order_by("name").values("name"))


def with_names(teams):
    """``public_teams(…)`` (filtered) for a list's page: the place's names as columns, added after the count; its
    fields are read with the hours (``with_recent_hours``), not prefetched."""
    own = [name for name in PUBLIC_FIELDS if "__" not in name]
    return teams.select_related(None).prefetch_related(None).only(*own).annotate(**LIST_NAMES)


def with_recent_hours(teams, *, today=None):
    """``teams`` (a page of them) with ``recent_hours`` (their records of the last 12 months summed) and
    ``field_names`` set: two queries over these teams only, compiled once a process per page size
    (``core.compiled``; the window's first day is put in place of the one compiled in)."""
    teams = list(teams)
    if not teams:
        return teams
    ids = placed([team.pk for team in teams])
    hours = for_ids("volunteers:hours", len(teams), _hours_of)
    sums = dict(hours.tuples(replacing={**ids, **dated(_SINCE, hours_since(today))}))
    fields = {team.pk: [] for team in teams}
    for team_id, name in for_ids("volunteers:fields", len(teams), _fields_of).tuples(replacing=ids):
        fields[team_id].append(name)
    for team in teams:
        team.recent_hours = sums.get(team.pk) or Decimal(0)
        team.field_names = fields[team.pk]
    return teams


_SINCE = datetime.date(1901, 1, 1)  # the window's first day as compiled: replaced by the real one each time


def _hours_of(ids):
    return (
        ServiceRecord.objects.filter(team__in=ids, date__gte=_SINCE)
        .order_by().values_list("team").annotate(hours=Sum("hours"))
    )


def _fields_of(ids):
    return (
        Team.fields.through.objects.filter(team_id__in=ids)
        .order_by("servicefield__name").values_list("team_id", "servicefield__name")
    )


# ---------------------------------------------------------------- registration deadlines


def required_hours(level):
    return settings.SOCIAL_WORK_EDUCATION_HOURS.get(level)


def _required_hours_expression():
    return Case(
        *[When(level=level, then=Value(Decimal(hours))) for level, hours in settings.SOCIAL_WORK_EDUCATION_HOURS.items()],
        default=None,
        output_field=DecimalField(max_digits=5, decimal_places=1),
    )


def watched_workers(user, division=None):
    """On-duty certified people ``user`` may see, inside ``division`` (None: all they may see)."""
    queryset = Worker.objects.on_duty().certified().filter(scoping.division_q(Worker, division))
    return scoping.scope(user, queryset).select_related("workplace__street", "workplace__district")


@dataclass(frozen=True)
class DeadlineRow:
    worker: Worker
    days_remaining: int | None
    window_opens: datetime.date | None
    window_open: bool
    required_hours: Decimal | None

    @property
    def workplace(self):
        return workplace_label(self.worker.workplace)

    @property
    def lapsed(self):
        return self.days_remaining is not None and self.days_remaining < 0

    @property
    def days_lapsed(self):
        return -self.days_remaining if self.lapsed else 0

    @property
    def hours_short(self):
        if self.required_hours is None:
            return None
        return max(self.required_hours - self.worker.education_hours, Decimal(0))


def _row(worker, today, required=None):
    until = worker.registration_valid_until
    if until is None:
        return DeadlineRow(worker, None, None, False, required)
    opens = months_back(until, 3)  # renewal is made in the last three months of the registration
    return DeadlineRow(worker, (until - today).days, opens, opens <= today <= until, required)


def registrations_due(user, division=None, *, today=None):
    """Registrations that lapse within ``REGISTRATION_WARNING_DAYS`` days (today and day N included),
    have lapsed already, or were never entered — soonest first."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.REGISTRATION_WARNING_DAYS)
    workers = watched_workers(user, division).filter(
        Q(registration_valid_until__lte=horizon) | Q(registration_valid_until__isnull=True)
    ).order_by(F("registration_valid_until").asc(nulls_first=True), "code")
    return [_row(worker, today) for worker in workers]


def education_short(user, division=None, *, today=None):
    """People whose continuing-education hours in this registration period are below their level's
    requirement (72 h assistant, 90 h others; ``SOCIAL_WORK_EDUCATION_HOURS``), soonest deadline first."""
    today = today or timezone.localdate()
    workers = (
        watched_workers(user, division)  # certified already
        .annotate(required=_required_hours_expression())
        .filter(education_hours__lt=F("required"))
        .order_by(F("registration_valid_until").asc(nulls_first=True), "code")
    )
    return [_row(worker, today, worker.required) for worker in workers]
