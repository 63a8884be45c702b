"""The public record a report or rating is about: one place that maps (kind, id) to it."""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from core.fields import Status
from eldercare.models import Facility
from facilities.models import Centre
from portal.models import Target
from volunteers.models import Team


@dataclass(frozen=True)
class Resolved:
    target: str
    obj: object
    division: object
    url: str

    @property
    def name(self):
        return self.obj.name


def resolve(target, pk):
    """The public record, or 404 (only what residents can see may be reported or rated)."""
    if target == Target.CENTRE:
        obj = Centre.objects.filter(pk=pk, status=Status.OPERATING).select_related("community").first()
        division = obj.community if obj else None
        url = "facilities:detail"
    elif target == Target.FACILITY:
        obj = Facility.objects.filter(pk=pk).select_related("division").first()
        division = obj.division if obj else None
        url = "eldercare:detail"
    elif target == Target.TEAM:
        obj = Team.objects.filter(pk=pk).select_related("community").first()
        division = obj.community if obj else None
        url = "volunteers:detail"
    else:
        obj = None
    if obj is None:
        raise Http404
    return Resolved(target=target, obj=obj, division=division, url=reverse(url, args=[obj.pk]))


def detail_url(target, pk):
    return reverse({"centre": "facilities:detail", "facility": "eldercare:detail", "team": "volunteers:detail"}[target],
                   args=[pk])
