"""One search across community centres, eldercare facilities and volunteer teams.

What people type is forgiving: full-width letters and spaces are folded (NFKC), several words must all
match (each anywhere: name, address, community, street, district, kind or service), and every word is a
substring match. Each record keeps one folded text of all those (``core.search_text``); a word is one
``LIKE`` on it, which on PostgreSQL its trigram GIN index answers (migration 0003 of this app), a
two-character word included (looked up as a stored pair). SQLite scans the same column: the same rows.

Why one kept text: the words matched across five tables (an OR of name, address, division subqueries,
service links and kinds) made PostgreSQL read every record of a kind for every search (110–150 ms per
kind in a province of 120,000 centres); counts stop at the public lists' cap for the same reason.
"""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import F, Q
from django.utils import translation

from core.compiled import PLANNED_PER_RUN, TEXT_STAND_IN, Prepared, as_instances, compiled, records_together
from core.fields import Status
from core.search_text import code_pattern, fold, terms_of, word_pattern
from eldercare.models import CareService, Facility, FacilityKind
from facilities.models import Centre
from volunteers.models import Team

_FOLDED_LABELS = {}  # (closed list, language) → [(value, Chinese label, label)], casefolded: the code's constants


def _folded_labels(choices):
    """The closed list's labels in Chinese and the page's language, casefolded: read once a process per language
    (``translation.override`` and a lazy label's ``str`` for every choice of every word were a tenth of a search)."""
    key = (choices, translation.get_language())
    if key not in _FOLDED_LABELS:
        with translation.override("zh-hans"):
            chinese = [str(label).casefold() for _value, label in choices.choices]
        _FOLDED_LABELS[key] = [
            (value, zh, str(label).casefold()) for (value, label), zh in zip(choices.choices, chinese, strict=True)
        ]
    return _FOLDED_LABELS[key]


def _label_matches(choices, term):
    """Values of a TextChoices whose label (in Chinese or the page's language) contains ``term``."""
    needle = term.casefold()
    return {value for value, chinese, label in _folded_labels(choices) if needle in chinese or needle in label}


def _patterns(kind, term):
    """What a record's kept text (``core.search_text``) may contain for ``term`` to match, any of them: the word,
    then (an eldercare facility) the closed lists' values whose label contains it."""
    codes = _label_matches(FacilityKind, term) | _label_matches(CareService.Code, term) if kind == "facility" else ()
    return [word_pattern(fold(term)), *(code_pattern(code) for code in sorted(codes))]


def _any_of(patterns):
    """Each pattern a ``LIKE`` the trigram index on the column answers."""
    q = Q()
    for pattern in patterns:
        q |= Q(search_text__contains=pattern)
    return q


def _all_terms(kind, terms):
    q = Q()
    for term in terms:
        q &= _any_of(_patterns(kind, term))
    return q


# What a result card shows needs no many-to-many rows: the querysets load none (one query per page); and of
# its own row only what ``portal.rows`` writes (no search text, no audit dates: a tenth of the rows' columns).
_HOURS = (
    "hours_mon", "hours_tue", "hours_wed", "hours_thu", "hours_fri", "hours_sat", "hours_sun", "hours_holiday",
    "open_on_holidays",
)
CARD_FIELDS = {
    "centre": ("code", "name", "address", "phone", *_HOURS),
    "facility": ("code", "name", "kind", "address", "phone", *_HOURS),
    "team": ("code", "name", "phone", "meeting_place"),
}
#: A team's card names its community and street: columns of its row (not two records a team).
TEAM_PLACE_NAMES = {"community_name": F("community__name"), "street_name": F("community__street__name")}


def centres(terms):
    return (
        Centre.objects.filter(status=Status.OPERATING)
        .filter(_all_terms("centre", terms))
        .order_by("community_id", "code")
        .only(*CARD_FIELDS["centre"])
    )


def facilities(terms):
    return (
        Facility.objects.filter(status=Status.OPERATING)
        .filter(_all_terms("facility", terms))
        .order_by("kind", "division_id", "code")
        .only(*CARD_FIELDS["facility"])
    )


def teams(terms):
    return (
        Team.objects.filter(_all_terms("team", terms))
        .annotate(**TEAM_PLACE_NAMES)
        .order_by("community_id", "code")
        .only(*CARD_FIELDS["team"])
    )


KINDS = ("centre", "facility", "team")
QUERIES = {"centre": centres, "facility": facilities, "team": teams}


@dataclass
class Group:
    kind: str
    count: int
    items: list = field(default_factory=list)
    capped: bool = False  # more than ``count`` (the cap) match


#: How far the overview counts each kind's matches before it says "more than": a kind's own pages count up to the
#: public lists' cap (``core.places.CappedPaginator.cap``). Counting a common word's matches is the overview's
#: dearest read (1,001 rows' text matched against the words: 2 ms of a kind's query at 40×); a tenth of them tells
#: a resident as much.
OVERVIEW_CAP = 100


def search(text, *, limit=5, kind=None, cap=None):
    """``(terms, [Group, …])``: for each kind (or one), how many match (up to ``cap``, by default
    ``OVERVIEW_CAP``, then "more than") and ``limit`` of them, in the kind's list order.

    One statement per kind, whatever the size of the city (``_first_found``): the first ``cap + 1`` records found
    that match every word, in no order, counted as they come, and the first ``limit`` of those in the list's order.
    Where no more than ``cap`` match, those are the kind's first ``limit``; where more do, ``limit`` of the first
    ``cap + 1`` found (the overview says "more than", and its link opens the kind's own pages, in order).

    Why not the first ``limit`` of every match: PostgreSQL reads those by walking the list's order and testing each
    record, and for a word whose records all lie late in that order it tests most of the table first ("老" matches
    no day-care centre, and the list starts with the 36,000 of them: 88 ms at 40×). And the words' conditions are
    written, and planned, once (a capped count beside the list planned them twice: planning was four fifths of the
    statement). What is left: a common word's first found are a table scan's first matches, as the capped count's
    were, and where its matches lie together on disk a scan that starts past them (PostgreSQL's synchronized scans
    start where the last one was) reads the rest of the table first.

    Each statement is compiled once a process for its shape (how many words, and how many closed-list values each
    word matches), with stand-ins for the words' patterns.
    """
    terms = terms_of(text)
    if not terms:
        return terms, []
    cap, names, runs = OVERVIEW_CAP if cap is None else cap, (kind,) if kind else KINDS, []
    for name in names:
        patterns = [_patterns(name, term) for term in terms]
        shape = tuple(len(each) for each in patterns)
        query = compiled(("one search", name, shape, cap, limit),
                         lambda name=name, shape=shape: _first_found(name, shape, cap, limit))
        replacing = {}
        for i, each in enumerate(patterns):
            replacing.update(zip(_liked(query, _stand_ins(i, len(each))), _liked(query, each), strict=True))
        runs.append((query, replacing))
    groups = []
    for name, (query, _replacing), rows in zip(names, runs, records_together(runs), strict=True):  # one round trip
        items = as_instances(query.queryset.model, query.queryset.db, rows)
        found = items[0]._matches if items else 0
        groups.append(Group(kind=name, count=min(found, cap), items=items, capped=found > cap))
    return terms, groups


def _stand_ins(i, count):
    return [f"{TEXT_STAND_IN}-{i}-{j}" for j in range(count)]


def _liked(query, patterns):
    """Each pattern as a ``contains`` lookup sends it: its ``LIKE`` wildcards escaped, between ``%``."""
    operations = connections[query.queryset.db].ops
    return [f"%{operations.prep_for_like_query(pattern)}%" for pattern in patterns]


def _first_found(name, shape, cap, limit):
    """The statement of ``search`` (``Prepared``): ``SELECT *, COUNT(*) OVER () … FROM (the first
    cap + 1 records of kind ``name`` found matching stand-in patterns of ``shape``) ORDER BY (the list's order)
    LIMIT limit`` — each record as its card's values, with the count (``_matches``)."""
    queryset = QUERIES[name](())
    for i, count in enumerate(shape):
        queryset = queryset.filter(_any_of(_stand_ins(i, count)))
    order = [(field.removeprefix("-"), " DESC" if field.startswith("-") else "") for field in queryset.query.order_by]
    names = TEAM_PLACE_NAMES if name == "team" else ()
    columns = ["id", *CARD_FIELDS[name], *names]
    found = queryset.order_by().values(*columns, *(field for field, _ in order if field not in columns))
    quote = connections[found.db].ops.quote_name
    around = (
        f"SELECT *, COUNT(*) OVER () AS {quote('_matches')} FROM ({{query}}) AS found "  # noqa: S608  # quoted names of our own fields  # nosec B608
        f"ORDER BY {', '.join(quote(field) + direction for field, direction in order)} LIMIT {int(limit)}",
        ["_matches"],
    )
    return Prepared(found[: cap + 1], around=around, prepare=PLANNED_PER_RUN)  # planned for its words
