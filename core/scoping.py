"""Which records a user may see: the one place that scopes records by user.

Every scoped model names, in ``SCOPE_DIVISION``, the path from it to the
division it belongs to (a community, or a street for street-level records);
``""`` means the model *is* a division. A street clerk sees the records of
their own street and its communities; a district reviewer (区县民政局审核员) reads the records of
their district's streets and communities and changes none; a city reviewer (市民政局审核员) reads
their city (or, without a division, the deployment's whole area, as before cities existed); a
province reviewer (省民政厅审核员) reads the cities of their province. Administrators see everything.

Outsiders get 404 (the record's existence is not revealed); users who may see
a record but not change it get 403. Whether a user may act (change, review, import…) is decided in
``core.permissions``.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from core import permissions
from core.models import ANCESTOR_FIELD, Level


def division_path(model):
    return getattr(model, "SCOPE_DIVISION", None)


def street_q(model, street):
    """The Q selecting ``model`` records that belong to ``street`` (itself or its communities): ``division_q``'s
    id subquery, so a clerk's every list is two index lookups, not a scan of the join."""
    path = division_path(model)
    if path is None:
        raise TypeError(f"{model.__name__} declares no SCOPE_DIVISION")
    return division_q(model, street)


def division_q(model, division):
    """Records of ``model`` inside ``division`` (any level); None = the deployment's whole area.

    Written as ``<division column> IN (SELECT id FROM core_division WHERE id = X OR <ancestor>_id = X)``
    rather than ``community_id = X OR community.street_id = X``: the OR across a join defeats the
    indexes (a sequential scan of the whole table at 40×), the subquery is two index lookups.
    """
    if division is None:
        return Q()
    from core.models import Division

    path = division_path(model)
    if path is None:
        raise TypeError(f"{model.__name__} declares no SCOPE_DIVISION")
    field = ANCESTOR_FIELD.get(division.level)
    inside = Q(pk=division.pk) | Q(**{field: division.pk}) if field else Q(pk=division.pk)
    if path == "":
        # The divisions themselves: both conditions on the one table (two index scans OR-ed). A subquery of
        # them was joined by a scan of all 66,000 divisions at 40× (the board's reporting row: 32 → 8 ms).
        return inside
    return Q(**{f"{path}__in": Division.objects.filter(inside).values("pk")})


def scope(user, queryset):
    """The part of ``queryset`` that ``user`` may see."""
    if permissions.can_view_all(user):
        # City and province reviewers read their own division; administrators (and a city reviewer
        # without a division) the deployment's whole area.
        division = permissions.bureau_division(user)
        return queryset if division is None else queryset.filter(division_q(queryset.model, division))
    if permissions.is_clerk(user):
        return queryset.filter(street_q(queryset.model, user.division))
    if permissions.is_district_reviewer(user):
        return queryset.filter(division_q(queryset.model, user.division))
    return queryset.none()


def get_for_user(user, queryset, **lookup):
    """The record if ``user`` may see it, else 404."""
    try:
        return scope(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def get_for_edit(user, queryset, **lookup):
    """The record if ``user`` may change it: 404 if out of sight, 403 if read-only."""
    obj = get_for_user(user, queryset, **lookup)
    if not permissions.can_edit(user, obj):
        raise PermissionDenied
    return obj


def divisions_for(user, *, levels=(Level.COMMUNITY,)):
    """Divisions ``user`` may attach records to (form choices)."""
    from core.models import Division

    return scope(user, Division.objects.filter(level__in=levels))
