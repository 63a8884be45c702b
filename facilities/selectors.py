"""Reads for the public pages: operating centres only, with their relations loaded up front."""

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404

from core.hours import WEEKDAY_FIELDS
from core.opening import week_schedule
from core.public_lists import own_fields_and_names
from facilities.models import Centre, Service

# What a row of the list shows: its name, place, phone and the week's hours (for today's and "open now").
LIST_FIELDS = ("name", "address", "phone", *WEEKDAY_FIELDS, "hours_holiday", "open_on_holidays")
# Its community, street and district by name: read as columns of the row (not three more records per row).
LIST_NAMES = {
    "community_name": F("community__name"),
    "street_name": F("community__street__name"),
    "district_name": F("community__district__name"),
}

# The detail page: the whole record, and of its community, street and district their names.
DETAIL_FIELDS = own_fields_and_names(Centre, "community", "community__street", "community__district")


def public_centres():
    """Operating centres as residents see them (other statuses never appear publicly), for the list: only
    the columns a row shows (the rest of the record is what the detail page is for)."""
    return (
        Centre.objects.operating()
        .only(*LIST_FIELDS)
        .order_by("community__code", "code")
    )


def with_names(centres):
    """The page's rows with their community's, street's and district's names (``community_name`` …): added
    after the count, which needs none of their joins."""
    return centres.annotate(**LIST_NAMES)


def public_centre(pk):
    """One operating centre with its services, or 404."""
    return get_object_or_404(
        Centre.objects.operating()
        .select_related("community", "community__street", "community__district")
        .only(*DETAIL_FIELDS)
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("ordering", "name"))),
        pk=pk,
    )


def centre_week(centre, today):
    """The seven days from ``today`` with today flagged, holiday-aware (one calendar query)."""
    return week_schedule(centre, start=today)
