"""Reads for the public pages: operating centres only, with their relations loaded up front."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from core.models import Holiday
from core.opening import hours_on, is_open_at, week_schedule
from facilities.models import Centre, Service


def public_centres():
    """Operating centres as residents see them (other statuses never appear publicly)."""
    return (
        Centre.objects.operating()
        .select_related("community", "community__street", "community__district")
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("ordering", "name")))
        .order_by("community__code", "code")
    )


def public_centre(pk):
    """One operating centre, or 404."""
    return get_object_or_404(public_centres(), pk=pk)


def special_day(day):
    """The calendar row of ``day`` (holiday or make-up workday), or None — one query for a whole page."""
    return Holiday.objects.filter(date=day).first()


def with_today(centres, moment, special):
    """Attach ``today_hours`` and ``is_open`` to each centre for ``moment`` without further queries."""
    centres = list(centres)
    for centre in centres:
        centre.today_hours = hours_on(centre, moment.date(), special)
        centre.is_open = is_open_at(centre, moment, special, lookup=False)
    return centres


def centre_week(centre, today):
    """The seven days from ``today`` with today flagged, holiday-aware (one calendar query)."""
    return week_schedule(centre, start=today)
