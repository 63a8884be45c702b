"""Reads for the compliance pages, the export and the clerk's hints: all through the indicator engine."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from compliance import board, rules, selectors_official
from compliance.models import CorrectionRequest, Plan, Snapshot
from core import scoping
from core.models import Division, Level


def plan_in_force():
    """``(plan, {code: Target})`` of the plan in force (one query with its targets)."""
    plan = Plan.objects.filter(in_force=True).prefetch_related("targets").first()
    if plan is None:
        plan = Plan.objects.order_by("pk").prefetch_related("targets").first()
    targets = {target.indicator: target for target in plan.targets.all()} if plan else {}
    return plan, targets


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


def _evaluate(official, **arguments):
    """The month's figures: with the approved streets' official figures (``selectors_official``), or
    (``official=False``: the timeline's as-of figures) the engine's on the records in view."""
    return (selectors_official.evaluate if official else board.evaluate)(**arguments)


def city_board(*, ctx, targets, codes=None, official=True):
    """Every indicator for the whole city and per district."""
    return _evaluate(official, targets=targets, ctx=ctx, within=None, by="district", parts=districts(), codes=codes)


def board_for(user, *, ctx, targets, official=True):
    """The matrix a user sees: the city by district, a district reviewer's district by street, or a clerk's
    own street."""
    street = user_street(user)
    district = user_district(user)
    if district is not None:
        parts = streets_of(district)
        return _evaluate(official, targets=targets, ctx=ctx, within=district, by="street", parts=parts), parts
    if street is None:
        parts = districts()
        return _evaluate(official, targets=targets, ctx=ctx, within=None, by="district", parts=parts), parts
    return _evaluate(official, targets=targets, ctx=ctx, within=street, by="street", parts=[street]), [street]


def division_for(user, code):
    """A district or street the user may look at (404 otherwise)."""
    return scoping.get_for_user(user, Division.objects.select_related("parent"), code=code, level__in=[
        Level.DISTRICT, Level.STREET,
    ])


def drill_down(*, indicator, division, ctx, targets, official=True):
    """One indicator in one district (by street) or one street, with its failing units (today's records)."""
    parts = streets_of(division) if division.level == Level.DISTRICT else [division]
    [row] = _evaluate(
        official, targets=targets, ctx=ctx, within=division, by="street", parts=parts, codes=[indicator.code]
    )
    failing = (
        indicator.units(ctx, division, failing_only=True, target=targets.get(indicator.code))
        if indicator.has_units else []
    )
    return row, failing


def street_board(*, street, ctx, targets, official=True):
    rows = _evaluate(official, targets=targets, ctx=ctx, within=street, by="street", parts=[])
    missing = {}
    for indicator in rules.INDICATORS.values():
        if indicator.has_units:
            missing[indicator.code] = indicator.units(
                ctx, street, failing_only=True, target=targets.get(indicator.code)
            )
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
