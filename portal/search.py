"""One search across community centres, eldercare facilities and volunteer teams.

What people type is forgiving: full-width letters and spaces are folded (NFKC), several words must all
match (each anywhere: name, address, community, street, district, kind or service), and every word is a
substring match. On PostgreSQL the name and address columns have trigram GIN indexes (migration
0002 of this app); SQLite scans, and both give the same rows because the same Django lookups run on both.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Count, Q, Window
from django.utils import translation

from core.fields import Status
from core.models import Division
from eldercare.models import CareService, Facility, FacilityKind
from facilities.models import Centre
from volunteers.models import Team

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
    """In a division whose name (or its street's or district's) contains ``term``.

    The matching divisions are a subquery the database runs once (the division-name trigram index on
    PostgreSQL), compared with the record's division and that division's street and district columns:
    one join, not one per level.
    """
    named = Division.objects.filter(name__icontains=term).values("pk")
    return (
        Q(**{f"{prefix}_id__in": named})
        | Q(**{f"{prefix}__street_id__in": named})
        | Q(**{f"{prefix}__district_id__in": named})
    )


def centre_q(term):
    offering = Centre.services.through.objects.filter(service__name__icontains=term).values("centre_id")
    return Q(name__icontains=term) | Q(address__icontains=term) | _division_q("community", term) | Q(pk__in=offering)


def facility_q(term):
    q = Q(name__icontains=term) | Q(address__icontains=term) | _division_q("division", term)
    kinds = _label_matches(FacilityKind.choices, term)
    if kinds:
        q |= Q(kind__in=sorted(kinds))
    helps = _label_matches(CareService.Code.choices, term)
    if helps:
        offering = Facility.services.through.objects.filter(careservice__code__in=sorted(helps)).values("facility_id")
        q |= Q(pk__in=offering)
    return q


def team_q(term):
    serving = Team.fields.through.objects.filter(servicefield__name__icontains=term).values("team_id")
    return Q(name__icontains=term) | Q(meeting_place__icontains=term) | _division_q("community", term) | Q(pk__in=serving)


def _all_terms(make_q, terms):
    q = Q()
    for term in terms:
        q &= make_q(term)
    return q


# What a result card shows needs no many-to-many rows: the querysets load none (one query per page).


def centres(terms):
    return (
        Centre.objects.filter(status=Status.OPERATING)
        .filter(_all_terms(centre_q, terms))
        .order_by("community_id", "code")
    )


def facilities(terms):
    return (
        Facility.objects.filter(status=Status.OPERATING)
        .filter(_all_terms(facility_q, terms))
        .order_by("kind", "division_id", "code")
    )


def teams(terms):
    return (
        Team.objects.filter(_all_terms(team_q, terms))
        .select_related("community", "community__street")
        .order_by("community_id", "code")
    )


KINDS = ("centre", "facility", "team")
QUERIES = {"centre": centres, "facility": facilities, "team": teams}


@dataclass
class Group:
    kind: str
    count: int
    items: list = field(default_factory=list)


def search(text, *, limit=5, kind=None):
    """``(terms, [Group, …])``: for each kind (or one), how many match and the first ``limit`` of them.

    One query per kind, whatever the size of the city: the count is a window aggregate over every match,
    computed before the LIMIT.
    """
    terms = terms_of(text)
    if not terms:
        return terms, []
    groups = []
    for name in (kind,) if kind else KINDS:
        items = list(QUERIES[name](terms).annotate(_matches=Window(Count("pk")))[:limit])
        groups.append(Group(kind=name, count=items[0]._matches if items else 0, items=items))
    return terms, groups
