"""Writes of the portal: residents' reports and ratings, and the staff's handling of them."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.caching import invalidate_public
from portal.models import ErrorReport, Rating

WINDOW_SECONDS = 3600


def allow_submission(address):
    """Count one submission from ``address``; False once it has sent its hourly allowance."""
    key = f"portal:submissions:{address or 'unknown'}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= settings.PORTAL_SUBMISSIONS_PER_HOUR


def _record_fields(resolved):
    return {
        "target": resolved.target,
        "object_id": resolved.obj.pk,
        "object_name": resolved.name[:100],
        "division": resolved.division,
    }


@transaction.atomic
def submit_report(*, resolved, topic, message="", phone=""):
    report = ErrorReport(**_record_fields(resolved), topic=topic, message=message.strip(), phone=phone)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def submit_rating(*, resolved, score, comment=""):
    rating = Rating(**_record_fields(resolved), score=score, comment=comment.strip())
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def close_report(*, report, user):
    report.state = ErrorReport.State.DONE
    report.handled_at = timezone.now()
    report.handled_by = user
    report.save(update_fields=["state", "handled_at", "handled_by"])
    return report


@transaction.atomic
def review_rating(*, rating, user, approve):
    """Publish (or refuse) a rating; a published one changes what the cached detail pages show."""
    rating.state = Rating.State.APPROVED if approve else Rating.State.REJECTED
    rating.reviewed_at = timezone.now()
    rating.reviewed_by = user
    rating.save(update_fields=["state", "reviewed_at", "reviewed_by"])
    invalidate_public()
    return rating
