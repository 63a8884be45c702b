"""One search across community centres, eldercare facilities and volunteer teams.

What people type is forgiving: full-width letters and spaces are folded (NFKC), several words must all
match (each anywhere: name, address, community, street, district, kind or service), and every word is a
substring match. On PostgreSQL the name and address columns have trigram GIN indexes (migration
0002 of this app); SQLite scans, and both give the same rows because the same Django lookups run on both.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import translation

from core.fields import Status
from eldercare.models import CareService, Facility, FacilityKind
from facilities.models import Centre, Service
from volunteers.models import ServiceField, Team

MAX_TERMS = 6
MAX_TERM_LENGTH = 30
_SPLIT = re.compile(r"[\s,，、;；/]+")


def terms_of(text):
    """The words of a query: NFKC-folded (full-width → half-width), split on any space or list comma."""
    folded = unicodedata.normalize("NFKC", text or "").strip()
    words = [word[:MAX_TERM_LENGTH] for word in _SPLIT.split(folded) if word]
    unique = list(dict.fromkeys(words))
    return unique[:MAX_TERMS]


def _label_matches(choices, term):
    """Values of a TextChoices whose label (in Chinese or the page's language) contains ``term``."""
    needle = term.casefold()
    values = set()
    for value, label in choices:
        with translation.override("zh-hans"):
            chinese = str(label)
        if needle in chinese.casefold() or needle in str(label).casefold():
            values.add(value)
    return values


def _division_q(prefix, term):
    return (
        Q(**{f"{prefix}__name__icontains": term})
        | Q(**{f"{prefix}__street__name__icontains": term})
        | Q(**{f"{prefix}__district__name__icontains": term})
    )


def centre_q(term):
    service = Exists(
        Centre.services.through.objects.filter(centre=OuterRef("pk"), service__name__icontains=term)
    )
    return Q(name__icontains=term) | Q(address__icontains=term) | _division_q("community", term) | Q(service)


def facility_q(term):
    q = Q(name__icontains=term) | Q(address__icontains=term) | _division_q("division", term)
    kinds = _label_matches(FacilityKind.choices, term)
    if kinds:
        q |= Q(kind__in=sorted(kinds))
    helps = _label_matches(CareService.Code.choices, term)
    if helps:
        q |= Q(
            Exists(
                Facility.services.through.objects.filter(facility=OuterRef("pk"), careservice__code__in=sorted(helps))
            )
        )
    return q


def team_q(term):
    served = Exists(Team.fields.through.objects.filter(team=OuterRef("pk"), servicefield__name__icontains=term))
    return Q(name__icontains=term) | Q(meeting_place__icontains=term) | _division_q("community", term) | Q(served)


def _all_terms(make_q, terms):
    q = Q()
    for term in terms:
        q &= make_q(term)
    return q


def centres(terms):
    return (
        Centre.objects.filter(status=Status.OPERATING)
        .filter(_all_terms(centre_q, terms))
        .select_related("community", "community__street")
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("ordering", "name")))
        .order_by("community__code", "code")
    )


def facilities(terms):
    return (
        Facility.objects.filter(status=Status.OPERATING)
        .filter(_all_terms(facility_q, terms))
        .select_related("division", "division__street")
        .prefetch_related("services")
        .order_by("kind", "division__code", "code")
    )


def teams(terms):
    return (
        Team.objects.filter(_all_terms(team_q, terms))
        .select_related("community", "community__street")
        .prefetch_related(Prefetch("fields", queryset=ServiceField.objects.order_by("name")))
        .order_by("community__code", "code")
    )


KINDS = ("centre", "facility", "team")
QUERIES = {"centre": centres, "facility": facilities, "team": teams}


@dataclass
class Group:
    kind: str
    count: int
    items: list = field(default_factory=list)


def search(text, *, limit=10, kind=None):
    """``(terms, [Group, …])``: for each kind (or one), how many match and the first ``limit`` of them.

    Two queries per kind plus its prefetches, whatever the size of the city.
    """
    terms = terms_of(text)
    if not terms:
        return terms, []
    groups = []
    for name in (kind,) if kind else KINDS:
        queryset = QUERIES[name](terms)
        count = queryset.count()
        items = list(queryset[:limit]) if count else []
        groups.append(Group(kind=name, count=count, items=items))
    return terms, groups
