"""Reads for the public pages: operating centres only, with their relations loaded up front."""

from django.db.models import F
from django.http import Http404

from core.compiled import STAND_IN, Prepared
from core.hours import WEEKDAY_FIELDS
from core.opening import week_schedule
from facilities.models import Centre, Service

# What a row of the list shows: its name, place, phone and the week's hours (for today's and "open now").
LIST_FIELDS = ("name", "address", "phone", *WEEKDAY_FIELDS, "hours_holiday", "open_on_holidays")
# Its community, street and district by name: read as columns of the row (not three more records per row).
LIST_NAMES = {
    "community_name": F("community__name"),
    "street_name": F("community__street__name"),
    "district_name": F("community__district__name"),
}



def public_centres():
    """Operating centres as residents see them (other statuses never appear publicly), for the list: only
    the columns a row shows (the rest of the record is what the detail page is for)."""
    return (
        Centre.objects.operating()
        .only(*LIST_FIELDS)
        .order_by("community_code", "code")
    )


def with_names(centres):
    """The page's rows with their community's, street's and district's names (``community_name`` …): added
    after the count, which needs none of their joins."""
    return centres.annotate(**LIST_NAMES)


def public_centre(pk):
    """One operating centre with its community's, street's and district's names (``community_name`` …) and its
    services' names (``service_names``), or 404: two queries compiled once a process (``core.compiled``; compiling
    the centre's joins took as long as running them)."""
    centre = _CENTRE.instance(Centre, pk)
    if centre is None:
        raise Http404
    centre.service_names = [service["name"] for service in _SERVICES.records(replacing={STAND_IN: centre.pk})]
    return centre


_OWN = [field.attname for field in Centre._meta.concrete_fields]
_CENTRE = Prepared(Centre.objects.operating().filter(pk=STAND_IN).values(*_OWN, **LIST_NAMES))
_SERVICES = Prepared(Service.objects.filter(centres=STAND_IN).order_by("ordering", "name").values("name"))


def centre_week(centre, today):
    """The seven days from ``today`` with today flagged, holiday-aware (one calendar query)."""
    return week_schedule(centre, start=today)
