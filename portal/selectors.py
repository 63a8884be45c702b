"""Reads of the portal that are not search or near me: ratings shown publicly, staff to-dos."""

import functools

from django.db.models import Avg, Count, Window

from core import scoping
from core.compiled import POSITIVE_STAND_IN, Prepared
from portal.models import ErrorReport, Rating


def rating_summary(target, pk):
    """``{"average": 4.3 or None, "count": n, "recent": [{"score", "comment"}, …]}`` of the published ratings.

    One query, compiled once a process per kind of record (``core.compiled``: compiling it cost more than running
    it): the average and count are window aggregates over all published rows, computed before the LIMIT that
    keeps the ``RECENT`` newest.
    """
    rows = _published(target).records(replacing={POSITIVE_STAND_IN: int(pk)})
    if not rows:
        return {"average": None, "count": 0, "recent": []}
    return {"average": rows[0]["average"], "count": rows[0]["total"], "recent": rows}


RECENT = 5


@functools.cache
def _published(target):
    whole = Window(Avg("score")), Window(Count("pk"))
    return Prepared(
        Rating.objects.filter(target=target, object_id=POSITIVE_STAND_IN, state=Rating.State.APPROVED)
        .annotate(average=whole[0], total=whole[1])
        .order_by("-reviewed_at", "-pk")
        .values("score", "comment", "average", "total")[:RECENT]
    )


def open_reports(user):
    return scoping.scope(user, ErrorReport.objects.filter(state=ErrorReport.State.OPEN)).select_related(
        "division", "division__street"
    )


def pending_ratings(user):
    return scoping.scope(user, Rating.objects.filter(state=Rating.State.PENDING)).select_related(
        "division", "division__street"
    )
