"""Reads of the portal that are not search or near me: ratings shown publicly, staff to-dos."""

from django.db.models import Avg, Count

from core import scoping
from portal.models import ErrorReport, Rating


def rating_summary(target, pk):
    """``{"average": 4.3 or None, "count": n, "recent": [Rating, …]}`` of the published ratings (two queries)."""
    published = Rating.objects.filter(target=target, object_id=pk, state=Rating.State.APPROVED)
    figures = published.aggregate(average=Avg("score"), count=Count("pk"))
    figures["recent"] = list(published.order_by("-reviewed_at", "-pk")[:5])
    return figures


def open_reports(user):
    return scoping.scope(user, ErrorReport.objects.filter(state=ErrorReport.State.OPEN)).select_related(
        "division", "division__street"
    )


def pending_ratings(user):
    return scoping.scope(user, Rating.objects.filter(state=Rating.State.PENDING)).select_related(
        "division", "division__street"
    )
