"""Reads of the reporting cycle: periods in sight, completeness and timeliness, changes after approval."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from django.apps import apps
from django.db.models import Count, FilteredRelation, OuterRef, Q, Subquery
from django.utils import timezone

from compliance import rules
from compliance.timeline import TRACKED
from core import permissions, scoping
from core.models import ANCESTOR_FIELD, Division, Level
from reporting.models import Period, ReturnItem, Status
from reporting.services import deadline_for, street_figures


def periods_for(user):
    return scoping.scope(user, Period.objects.select_related("street", "street__parent"))


def returns_for(user, *, open_only=True):
    queryset = scoping.scope(user, ReturnItem.objects.select_related("period", "street", "content_type"))
    if open_only:
        queryset = queryset.exclude(state=ReturnItem.State.CLOSED)
    return queryset.order_by("deadline", "pk")


def returns_on(obj):
    """Open returns that name ``obj`` (shown on the record's own page)."""
    from django.contrib.contenttypes.models import ContentType

    return ReturnItem.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk,
    ).exclude(state=ReturnItem.State.CLOSED).select_related("period")


def history(period):
    return period.events.select_related("user")


@dataclass
class StreetLine:
    street: Division
    period: Period | None
    deadline: date
    today: date

    @property
    def submitted(self):
        return self.period is not None and self.period.first_submitted_at is not None

    @property
    def on_time(self):
        return self.submitted and timezone.localtime(self.period.first_submitted_at).date() <= self.deadline

    @property
    def late(self):
        return self.submitted and not self.on_time

    @property
    def missing(self):
        return not self.submitted and self.today > self.deadline

    @property
    def pending(self):
        return not self.submitted and self.today <= self.deadline

    @property
    def approved(self):
        return self.period is not None and self.period.status in (Status.APPROVED, Status.ACCEPTED)

    @property
    def returned(self):
        return self.period is not None and self.period.returned_count > 0

    @property
    def timeliness(self):
        if self.on_time:
            return "on_time"
        if self.late:
            return "late"
        return "missing" if self.missing else "pending"


@dataclass
class Tally:
    division: Division | None
    streets: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    approved: int = 0
    returned: int = 0
    lines: list = field(default_factory=list)

    def add(self, line):
        self.streets += 1
        self.submitted += line.submitted
        self.on_time += line.on_time
        self.late += line.late
        self.missing += line.missing
        self.pending += line.pending
        self.approved += line.approved
        self.returned += line.returned
        self.lines.append(line)

    @property
    def submit_rate(self):
        """上报率: submitted ÷ streets (%)."""
        return None if not self.streets else round(100 * self.submitted / self.streets, 1)

    @property
    def timely_rate(self):
        """及时率: submitted by the deadline ÷ streets (%)."""
        return None if not self.streets else round(100 * self.on_time / self.streets, 1)


def _streets_with_period(month):
    """Streets annotated with their ``month`` period's id, status, first submission and return count."""
    period = Period.objects.filter(street=OuterRef("pk"), month=month)
    return Division.objects.streets().annotate(
        period_id=Subquery(period.values("pk")[:1]),
        period_status=Subquery(period.values("status")[:1]),
        period_first=Subquery(period.values("first_submitted_at")[:1]),
        period_returned=Subquery(period.values("returned_count")[:1]),
    )


def completeness(month, *, district=None, street=None, within=None, today=None):
    """``(city Tally, [district Tally])`` of ``month`` (the streets under ``within``, a city or province reviewer's
    own division; None: the whole area): one query (streets with their district and their period's state as
    subqueries), whatever the number of streets."""
    month = month.replace(day=1)
    today = today or timezone.localdate()
    deadline = deadline_for(month)
    streets = _streets_with_period(month).select_related("district").order_by("district__code", "code")
    if district is not None:
        streets = streets.filter(district=district)
    if street is not None:
        streets = streets.filter(pk=street.pk)
    if within is not None:
        streets = streets.filter(scoping.division_q(Division, within))
    city = Tally(within)
    by_district = {}
    for street in streets:
        state = None
        if street.period_id is not None:
            state = Period(pk=street.period_id, street=street, month=month, status=street.period_status,
                           first_submitted_at=street.period_first, returned_count=street.period_returned)
        line = StreetLine(street, state, deadline, today)
        city.add(line)
        if street.district_id not in by_district:
            by_district[street.district_id] = Tally(street.district)
        by_district[street.district_id].add(line)
    return city, list(by_district.values())


def board_completeness(month, within, *, by=None, today=None):
    """``(total Tally, {division id: Tally})`` of the streets under ``within`` (None: the whole area), grouped by
    their ``by`` ancestor (a level: district, city …). One query either way: counted in the database when the
    columns are above streets (reading the province's 6,000 streets to tally them cost 0.1-0.2 s at 40×); a
    street's columns read each street's line (``line.street`` is its id) and keep it in ``total.lines``."""
    month = month.replace(day=1)
    today = today or timezone.localdate()
    if by == Level.STREET:
        return _street_tallies(month, within, today)
    return _grouped_tallies(month, within, by and ANCESTOR_FIELD[by], today)


def _street_tallies(month, within, today):
    """Each street's line under ``within``, as plain values: the board's street columns show each one's state."""
    deadline = deadline_for(month)
    rows = (_streets_with_period(month).filter(scoping.division_q(Division, within)).order_by()
            .values_list("pk", "period_status", "period_first", "period_returned"))
    total, tallies = Tally(within), {}
    for pk, status, first, returned in rows:
        state = None if status is None else SimpleNamespace(status=status, first_submitted_at=first,
                                                            returned_count=returned)
        line = StreetLine(pk, state, deadline, today)
        total.add(line)
        tallies.setdefault(pk, Tally(None)).add(line)
    return total, tallies


def _grouped_tallies(month, within, group, today):
    """``(total, {ancestor id: Tally})`` counted by the database: the streets under ``within`` LEFT JOINed to
    their ``month`` period (one at most), grouped by the ``group`` ancestor field (None: the total only).
    Classified as ``StreetLine`` does: on time is a first submission before the local midnight that ends the
    deadline day (``localtime(first).date() <= deadline``); missing or pending is the rest, by ``today``."""
    deadline = deadline_for(month)
    due = timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time.min))
    streets = (Division.objects.streets().filter(scoping.division_q(Division, within))
               .alias(period=FilteredRelation("reporting_periods", condition=Q(reporting_periods__month=month)))
               .order_by())
    counts = {
        "streets": Count("pk"),
        "submitted": Count("pk", filter=Q(period__first_submitted_at__isnull=False)),
        "on_time": Count("pk", filter=Q(period__first_submitted_at__lt=due)),
        "approved": Count("pk", filter=Q(period__status__in=[Status.APPROVED, Status.ACCEPTED])),
        "returned": Count("pk", filter=Q(period__returned_count__gt=0)),
    }
    rows = streets.values(group).annotate(**counts) if group else [streets.aggregate(**counts)]
    total, tallies = Tally(within), {}
    for row in rows:
        tally = _counted(row, overdue=today > deadline)
        for name in ("streets", "submitted", "on_time", "late", "missing", "pending", "approved", "returned"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
        if group:
            tallies[row[group]] = tally
    return total, tallies


def _counted(row, *, overdue):
    """A Tally from a grouped row: late is submitted but not on time; the unsubmitted are missing once the
    deadline has passed and pending until then (``today`` is one day for every street)."""
    unsubmitted = row["streets"] - row["submitted"]
    return Tally(None, streets=row["streets"], submitted=row["submitted"], on_time=row["on_time"],
                 late=row["submitted"] - row["on_time"], missing=unsubmitted if overdue else 0,
                 pending=0 if overdue else unsubmitted, approved=row["approved"], returned=row["returned"])


def waiting_for(user):
    """Periods waiting for the user's step: the district's submitted ones, or the city's approved ones."""
    if user.is_district_reviewer:
        return periods_for(user).filter(status=Status.SUBMITTED).order_by("month", "street__code")
    if permissions.can_accept(user):
        return periods_for(user).filter(status=Status.APPROVED).order_by("month", "street__code")
    return Period.objects.none()


def changes_after_approval(period):
    """``(changes, editors)`` for an approved period: indicators whose figure moved since the approval
    (``[(indicator, old value, new value)]``) and who changed the street's records since then."""
    changes = _figure_changes(period)
    return changes, (_editors_since(period.street, period.approved_at) if changes else [])


def _figure_changes(period):
    if period.status not in (Status.APPROVED, Status.ACCEPTED) or not period.frozen:
        return []
    now = street_figures(period.street, period.month)
    changes = []
    for code, old in period.frozen.items():
        new = now.get(code)
        if new is not None and (old[0], old[1]) != (new[0], new[1]):
            changes.append((rules.get(code), old[2] or "—", new[2] or "—"))
    return changes


def changed_after_approval(user):
    """The district reviewer's approved (or accepted) months whose figures changed after the approval (审核后修改)
    and wait to be reopened: ``[(period, changes)]``. Only the streets whose records were edited after their
    month's approval (the audit history, one query per kind of record) are evaluated again."""
    if not user.is_district_reviewer:
        return []
    periods = list(periods_for(user).filter(status__in=[Status.APPROVED, Status.ACCEPTED])
                   .exclude(approved_at=None).order_by("month", "street__code"))
    if not periods:
        return []
    edited = _last_edits({period.street_id for period in periods}, min(period.approved_at for period in periods))
    found = []
    for period in periods:
        if period.street_id in edited and edited[period.street_id] > period.approved_at:
            changes = _figure_changes(period)
            if changes:
                found.append((period, changes))
    return found


def _last_edits(street_ids, since):
    """``{street id: time of the last edit after since}`` of the records standing in those streets."""
    from django.db.models import F, Max
    from django.db.models.functions import Coalesce

    from core.scoping import division_path

    last = {}
    for label in TRACKED:
        model = apps.get_model(label)
        path = division_path(model)
        # The street a record stands in: its division's street, or the division itself when it is a street.
        street = Coalesce(F("street") if path == "" else F(f"{path}__street"), F("id" if path == "" else path))
        rows = (model.history.filter(history_date__gt=since).annotate(street_of=street)
                .filter(street_of__in=street_ids).order_by().values_list("street_of").annotate(last=Max("history_date")))
        for street_id, when in rows:
            last[street_id] = max(when, last.get(street_id, when))
    return last


def _editors_since(street, since):
    """Who changed the street's records after ``since``: ``[(when, user, record)]``, latest first."""
    from core.scoping import division_path

    found = []
    for label in TRACKED:
        model = apps.get_model(label)
        path = division_path(model)
        if path == "":
            where = Q(pk=street.pk) | Q(street=street)
        else:
            where = Q(**{path: street}) | Q(**{f"{path}__street": street})
        ids = model._default_manager.filter(where).values("pk")
        rows = (model.history.filter(history_date__gt=since, id__in=ids)
                .select_related("history_user").order_by("-history_date")[:5])
        # The record as it was saved (its own name), not the history row's "… as of <timestamp>".
        found.extend((row.history_date, row.history_user, f"{model._meta.verbose_name} {row.instance}")
                     for row in rows)
    found.sort(key=lambda item: item[0], reverse=True)
    return found[:10]


def official_figures(month, within=None):
    """``{street id: {"status", "figures"}}``: the frozen figures of the streets whose ``month`` is approved or
    accepted, inside ``within`` (a district, a street, or None for the city)."""
    periods = Period.objects.filter(month=month.replace(day=1), status__in=[Status.APPROVED, Status.ACCEPTED])
    if within is not None:
        periods = periods.filter(scoping.division_q(Period, within))
    return {street: {"status": status, "figures": frozen}
            for street, status, frozen in periods.values_list("street_id", "status", "frozen") if frozen}
