"""Reads for the compliance pages, the export and the clerk's hints: all through the indicator engine."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from compliance import board, rules, selectors_official
from compliance.models import CorrectionRequest, Plan, Snapshot
from core import permissions, scoping
from core.models import ANCESTOR_FIELD, LEVEL_ORDER, Division, Level


def plan_in_force():
    """``(plan, {code: Target})`` of the plan in force (one query with its targets)."""
    plan = Plan.objects.filter(in_force=True).prefetch_related("targets").first()
    if plan is None:
        plan = Plan.objects.order_by("pk").prefetch_related("targets").first()
    targets = {target.indicator: target for target in plan.targets.all()} if plan else {}
    return plan, targets


@dataclass
class Judging:
    """Which plan judges a board: its own figures by ``plan``, each part by its plan in ``parts``.

    A plan is in force for its division and everything under it unless a lower division has its own;
    without any, the deployment's plan in force.
    """

    plan: object
    targets: dict
    parts: dict = field(default_factory=dict)  # {division pk: (plan, targets)} where it differs

    def plan_of(self, division):
        return self.parts.get(division.pk, (self.plan, self.targets))[0]


def _targets(plan):
    return {target.indicator: target for target in plan.targets.all()} if plan else {}


def judging_for(division, parts=()):
    """The ``Judging`` of a board of ``division`` (None: the whole area) broken down by ``parts``: two queries."""
    default, targets = plan_in_force()
    above = [] if division is None else [
        division.pk, *(getattr(division, f"{name}_id") for name in ANCESTOR_FIELD.values()),
    ]
    ids = {pk for pk in above if pk} | {part.pk for part in parts}
    plans = {plan.division_id: plan for plan in
             Plan.objects.filter(division_id__in=ids).select_related("division").prefetch_related("targets")}
    own = [plans[pk] for pk in above if pk in plans]
    plan = max(own, key=lambda plan: LEVEL_ORDER.index(plan.division.level)) if own else default
    judging = Judging(plan, targets if plan is default else _targets(plan))
    for part in parts:
        if part.pk in plans and plans[part.pk] != plan:
            judging.parts[part.pk] = (plans[part.pk], _targets(plans[part.pk]))
    return judging


def rejudge(rows, judging):
    """Each part's figure against its own plan's target (the sums stay as the engine gave them)."""
    if not judging.parts:
        return rows
    for row in rows:
        for index, result in enumerate(row.parts):
            own = judging.parts.get(result.division.pk)
            if own is not None:
                rejudged = board.Result(
                    row.indicator, result.division, result.numerator, result.denominator,
                    target=own[1].get(row.indicator.code),
                )
                if hasattr(result, "basis"):  # how an approved month's figure was formed (selectors_official)
                    rejudged.basis = result.basis
                row.parts[index] = rejudged
    return rows


#: The engine's grouping for parts of each level.
BY = {Level.CITY: "city", Level.DISTRICT: "district", Level.STREET: "street"}


def top():
    """The deployment's whole area (``ALL``) and its parts: ``(the division it all lies in or None, parts)``.

    From the top of the tree, descending while it is one province or one city: a one-city
    deployment (with or without its city and province) is broken down by district, as DOMAIN.md's
    export says; a province by city. At most two queries whatever the size: the provinces and cities (and any
    district at the top) to find where the descent ends, then the parts there.
    """
    levels = [Level.PROVINCE, Level.CITY]
    upper = list(Division.objects.filter(
        Q(level__in=levels) | Q(level=Level.DISTRICT, parent__isnull=True) | Q(level=Level.DISTRICT, parent__level=Level.PROVINCE)
    ).order_by("code"))
    root, parts = None, [division for division in upper if division.parent_id is None]
    while len(parts) == 1 and parts[0].level in levels:
        root = parts[0]
        parts = [division for division in upper if division.parent_id == root.pk]  # a city's districts are not in it
    if root is None:
        return None, parts
    # the root with its own parent (the breadcrumb above the board), in the same query
    parts = list(Division.objects.filter(parent=root).select_related("parent__parent").order_by("code"))
    return (parts[0].parent if parts else root), parts


def children_of(division):
    return list(Division.objects.filter(parent=division).order_by("code"))


def _evaluate(official, **arguments):
    """The month's figures: with the approved streets' official figures (``selectors_official``), or
    (``official=False``: the timeline's as-of figures) the engine's on the records in view."""
    return (selectors_official.evaluate if official else board.evaluate)(**arguments)


def level_board(*, ctx, within, parts, judging, codes=None, official=True):
    """Every indicator for ``within`` and its ``parts`` (one level), each judged by its plan."""
    by = BY.get(parts[0].level, "district") if parts else "district"
    rows = _evaluate(
        official,
        targets=judging.targets, ctx=ctx, within=within, by=by, parts=parts, codes=codes,
    )
    return rejudge(rows, judging)


def districts():
    return list(Division.objects.filter(level=Level.DISTRICT).order_by("code"))


def streets_of(district):
    return list(Division.objects.filter(level=Level.STREET, parent=district).order_by("code"))


def user_street(user):
    """The street a clerk is restricted to; None for bureau staff (who see the city or their district)."""
    return user.division if user.is_clerk else None


def user_district(user):
    """The district a district reviewer is restricted to (None otherwise)."""
    return user.division if user.is_district_reviewer else None


def city_board(*, ctx, targets=None, codes=None, official=True):
    """Every indicator for the deployment's whole area (``ALL``) and per part (districts, or a province's cities).

    The whole area is judged by ``targets`` if given, else by the plan in force for it; a part with
    its own plan is judged by that plan.
    """
    root, parts = top()
    judging = judging_for(root, parts)
    if targets is not None:
        judging.targets = targets
    return level_board(ctx=ctx, within=None, parts=parts, judging=judging, codes=codes, official=official)


def user_root(user):
    """The division whose board a user opens first (None: the whole area)."""
    if permissions.is_clerk(user) or permissions.is_district_reviewer(user):
        return user.division
    return permissions.bureau_division(user)


def board_division(user, code):
    """The province, city or district ``code`` whose board ``user`` may open (404 otherwise)."""
    return scoping.get_for_user(user, Division.objects.all(), code=code, level__in=[
        Level.PROVINCE, Level.CITY, Level.DISTRICT,
    ])


def board_for(user, *, ctx, targets=None, division=None, official=True, pick=None):
    """The matrix a user sees: ``(rows, parts, judging, division)``.

    A board shows its division's children (province → cities, city → districts, district → streets);
    a clerk sees their own street. ``division``: a board below the user's own (already in scope).
    ``pick(parts) -> parts``: the children shown as columns (the view's page of them); only they are
    evaluated, and the total is the whole division's either way.
    """
    pick = pick or (lambda parts: parts)
    street = user_street(user)
    if street is not None:
        judging = judging_for(street)
        rows = _evaluate(official, targets=judging.targets, ctx=ctx, within=street, by="street", parts=[street])
        return rows, [street], judging, street
    if division is None:
        division = user_root(user)
    if division is None:
        root, parts = top()
        parts = pick(parts)
        judging = judging_for(root, parts)
        return level_board(ctx=ctx, within=None, parts=parts, judging=judging, official=official), parts, judging, root
    parts = pick(children_of(division))
    judging = judging_for(division, parts)
    rows = level_board(ctx=ctx, within=division, parts=parts, judging=judging, official=official)
    return rows, parts, judging, division


def division_for(user, code):
    """A province, city, district or street the user may look at (404 otherwise)."""
    return scoping.get_for_user(user, Division.objects.select_related("parent"), code=code, level__in=[
        Level.PROVINCE, Level.CITY, Level.DISTRICT, Level.STREET,
    ])


#: Failing units are listed from a district down; above it a drill-down lists the parts to open next.
UNIT_LEVELS = (Level.DISTRICT, Level.STREET)


def drill_down(*, indicator, division, ctx, targets=None, judging=None, official=True):
    """One indicator in one division: its parts (a province's cities, a city's districts, a district's
    streets), each judged by its plan (``judging``; or all by ``targets``), and from a district down
    the failing units with their reasons: ``(row, failing)``.
    """
    parts = [division] if division.level == Level.STREET else children_of(division)
    if judging is None:
        judging = Judging(None, targets) if targets is not None else judging_for(division, parts)
    if parts:
        [row] = level_board(ctx=ctx, within=division, parts=parts, judging=judging, codes=[indicator.code],
                            official=official)
    else:
        [row] = _evaluate(official, targets=judging.targets, ctx=ctx, within=division, parts=[], codes=[indicator.code])
    failing = (
        indicator.units(ctx, division, failing_only=True, target=judging.targets.get(indicator.code))
        if indicator.has_units and division.level in UNIT_LEVELS else []
    )
    return row, failing


def street_board(*, street, ctx, targets, official=True):
    """The street's figures and each indicator's failing units. An indicator whose street sums (the records' as
    they are now: kept, or computed) show every unit passing lists none without asking (``none_failing``)."""
    rows = _evaluate(official, targets=targets, ctx=ctx, within=street, by="street", parts=[])
    sums = board.board_rows(tuple(rules.INDICATORS), ctx.month, street, "street")
    missing = {}
    for indicator in rules.INDICATORS.values():
        if not indicator.has_units:
            continue
        if indicator.none_failing(sums, street.pk):
            missing[indicator.code] = []
            continue
        missing[indicator.code] = indicator.units(ctx, street, failing_only=True, target=targets.get(indicator.code))
    return rows, missing


def data_quality(street, today=None):
    """Communities without coordinates or figures, centres not verified within VERIFICATION_MAX_AGE_DAYS."""
    from facilities.models import Centre

    today = today or timezone.localdate()
    limit = today - timedelta(days=settings.VERIFICATION_MAX_AGE_DAYS)
    communities = Division.objects.filter(level=Level.COMMUNITY, street=street)
    return {
        "no_location": list(communities.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))),
        "no_figures": list(communities.filter(
            Q(households__isnull=True) | Q(population__isnull=True) | Q(population_60plus__isnull=True)
        )),
        "unverified": list(
            Centre.objects.filter(community__street=street)
            .exclude(status="closed")
            .filter(Q(verified_on__isnull=True) | Q(verified_on__lt=limit))
            .select_related("community")
        ),
        "max_age": settings.VERIFICATION_MAX_AGE_DAYS,
    }


def corrections_for(user, *, open_only=False):
    queryset = scoping.scope(user, CorrectionRequest.objects.select_related("street", "created_by", "fixed_by"))
    if open_only:
        queryset = queryset.exclude(status=CorrectionRequest.Status.CLOSED)
    return queryset


def snapshots():
    return Snapshot.objects.select_related("created_by")
