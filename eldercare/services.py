"""Writes of the eldercare app."""

from django.db import IntegrityError, transaction

from eldercare.models import ElderAccessLog, Visit
from eldercare.selectors import local_today


def log_elder_access(*, user, elder, channel, path=""):
    """Record that ``user`` saw ``elder``'s unmasked ID number and phone."""
    return ElderAccessLog.objects.create(user=user, elder=elder, channel=channel, path=path[:200])


def visitor_name(user):
    return (user.get_full_name() or user.username)[:50]


def record_visit(*, user, elder, method, on=None, note=""):
    """The one-click visit: today (Asia/Shanghai), by the signed-in user. Returns ``(visit, created)``.

    A visit is identified by (elder, date, visitor, method), so a second click the same day
    finds the first record instead of failing or duplicating it.
    """
    identity = {"elder": elder, "visited_on": on or local_today(), "visitor": visitor_name(user), "method": method}
    existing = Visit.objects.filter(**identity).first()
    if existing is not None:
        return existing, False
    visit = Visit(**identity, note=note)
    visit.full_clean()
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:  # the same click twice at once
        return Visit.objects.get(**identity), False
    return visit, True


@transaction.atomic
def verify_facilities(*, facilities, user):
    """Record that ``user`` confirmed today (Asia/Shanghai) that ``facilities`` are still accurate (数据核实日期).

    As for centres: only ``verified_on``/``verified_by`` are written, each save leaving a history row.
    """
    today = local_today()
    count = 0
    for facility in facilities:
        facility.verified_on = today
        facility.verified_by = user
        facility.save(update_fields=["verified_on", "verified_by"])
        count += 1
    return count
