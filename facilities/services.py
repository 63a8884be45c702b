"""Writes on centres that are more than one model save."""

from django.db import transaction

from core.opening import local_now


@transaction.atomic
def verify_centres(*, centres, user):
    """Record that ``user`` confirmed today (Asia/Shanghai) that ``centres`` are still accurate.

    Human verification, kept apart from ``updated_at``: only ``verified_on`` and
    ``verified_by`` are written, and each save leaves a history row (the audit trail).
    """
    today = local_now().date()
    count = 0
    for centre in centres:
        centre.verified_on = today
        centre.verified_by = user
        centre.save(update_fields=["verified_on", "verified_by"])
        count += 1
    return count
