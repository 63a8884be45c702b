"""Reads of the portal that are not search or near me: ratings shown publicly, staff to-dos."""

from django.db.models import Avg, Count, Window

from core import scoping
from portal.models import ErrorReport, Rating


def rating_summary(target, pk, recent=5):
    """``{"average": 4.3 or None, "count": n, "recent": [Rating, …]}`` of the published ratings.

    One query: the average and count are window aggregates over all published rows, computed before the
    LIMIT that keeps the ``recent`` newest.
    """
    whole = Window(Avg("score")), Window(Count("pk"))
    rows = list(
        Rating.objects.filter(target=target, object_id=pk, state=Rating.State.APPROVED)
        .annotate(average=whole[0], total=whole[1])
        .order_by("-reviewed_at", "-pk")[:recent]
    )
    if not rows:
        return {"average": None, "count": 0, "recent": []}
    return {"average": rows[0].average, "count": rows[0].total, "recent": rows}


def open_reports(user):
    return scoping.scope(user, ErrorReport.objects.filter(state=ErrorReport.State.OPEN)).select_related(
        "division", "division__street"
    )


def pending_ratings(user):
    return scoping.scope(user, Rating.objects.filter(state=Rating.State.PENDING)).select_related(
        "division", "division__street"
    )
