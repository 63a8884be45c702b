"""The kept, folded text the residents' one search (``portal.search``) matches, one column per record.

A searchable model (a centre, an eldercare facility, a volunteer team: ``Searchable``) has a ``search_text``
field and declares what goes into it (``SEARCH_WORDS``, ``SEARCH_DIVISION``, ``SEARCH_MANY``, ``SEARCH_CODES``);
one record's parts come from its instance (``search_parts()``), many records' from two plain-value queries
(``refresh``). The text holds, NFKC-folded and case-folded:

* the words: name, address, the division's, street's and district's names, the services' names;
* every two-character and one-character piece of those words as a word of its own (`` 日间 间照 照料
  日 间 照 料 ``), so that a search word of one or two characters, which a trigram index cannot look up as
  a substring, is looked up as the whole word `` 助餐 `` or `` 助 `` (trigrams with the spaces);
* codes of closed lists whose labels are translated (a facility's kind, its ten helps) as ``#code``:
  the search turns a word into the codes whose label contains it, so the labels are never stored.

One trigram GIN index on the column (PostgreSQL) answers every word; SQLite scans the same column and
gives the same rows.

Kept by: ``post_save`` of the record, ``m2m_changed`` of its services, a division or service renamed
(``refresh_named``), and writers that bypass ``save()`` (the workbook import, ``bench.generate``), which
call ``refresh(model, pks)`` after writing.
"""

import re
import unicodedata

from django.apps import apps
from django.db.models import Q

from core import bulk

BATCH = 1000
MAX_TERMS = 6
MAX_TERM_LENGTH = 30
_SPLIT = re.compile(r"[\s,，、;；/]+")


def terms_of(text):
    """The words of a query: NFKC-folded (full-width → half-width), split on any space or list comma."""
    folded = unicodedata.normalize("NFKC", text or "").strip()
    words = [word[:MAX_TERM_LENGTH] for word in _SPLIT.split(folded) if word]
    unique = list(dict.fromkeys(words))
    return unique[:MAX_TERMS]


def containing(text):
    """``Q`` of the records whose kept text holds every word of ``text`` (``terms_of``, each as ``word_pattern``):
    a public list's "name, address or community" box, found through the column's trigram index like the one
    search (an ``icontains`` of name or address read every row of the table for a word that matches none)."""
    q = Q()
    for term in terms_of(text):
        q &= Q(search_text__contains=word_pattern(fold(term)))
    return q


def fold(text):
    """What both the stored text and a search word are compared in: NFKC, then case-folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def compose(words, codes=()):
    """The stored text: `` words… pairs… characters… #codes… `` (spaces at both ends: every entry a whole word)."""
    tokens = [token for word in words if word for token in fold(word).split()]
    pieces = dict.fromkeys(token[i : i + size] for size in (2, 1) for token in tokens for i in range(len(token) - size + 1))
    return " ".join(["", *tokens, *(piece for piece in pieces if piece not in tokens), *(f"#{code}" for code in codes), ""])


def word_pattern(word):
    """What ``search_text`` must contain for ``word`` (already folded): the word, or a word of one or two
    characters whole (`` 助餐 ``, `` 助 ``: one of the stored pieces, found through the index)."""
    return f" {word} " if len(word) <= 2 else word


def code_pattern(code):
    return f" #{code} "


def division_names(division):
    """The names a record is found by through its division: the division's, its street's, its district's."""
    if division is None:
        return []
    return [division.name, *(ancestor.name for ancestor in (division.street, division.district) if ancestor)]


def searchable_models():
    return [model for model in apps.get_models() if hasattr(model, "SEARCH_WORDS")]


def parts(model, words, codes, division, linked):
    """``(words, codes)`` of a record of ``model``: its ``SEARCH_WORDS`` fields' values (``words``), its division's
    names (``division``: the division's, street's, district's), its ``SEARCH_CODES`` fields' values (``codes``)
    and its linked records' names — or codes, where the model's ``SEARCH_MANY_CODES`` says so (``linked``)."""
    if model.SEARCH_MANY_CODES:
        return [*words, *division], [*codes, *linked]
    return [*words, *division, *linked], [*codes]


class Searchable:
    """A record the residents' one search finds. The model says what goes into its text:

    ``SEARCH_WORDS`` (its own text fields), ``SEARCH_DIVISION`` (the division whose names it is found by),
    ``SEARCH_MANY`` (its many-to-many of services, found by their names, or by their codes where
    ``SEARCH_MANY_CODES``) and ``SEARCH_CODES`` (its own closed-list fields, stored as ``#code``)."""

    SEARCH_WORDS = ("name", "address")
    SEARCH_CODES = ()
    SEARCH_MANY_CODES = False

    def search_parts(self):
        attribute = "code" if self.SEARCH_MANY_CODES else "name"
        linked = [getattr(item, attribute) for item in getattr(self, self.SEARCH_MANY).all()] if self.pk else []
        return parts(type(self), [getattr(self, name) for name in self.SEARCH_WORDS],
                     [getattr(self, name) for name in self.SEARCH_CODES],
                     division_names(getattr(self, self.SEARCH_DIVISION)), linked)


def text_of(obj):
    words, codes = obj.search_parts()
    return compose(words, codes)


def _texts(model, pks):
    """``[(pk, stored text, text now)]`` of ``model``'s records ``pks``, read as plain values: two queries (the
    records with their division's names, their linked records), no model instance or prefetch per record."""
    division = model.SEARCH_DIVISION
    own = [*model.SEARCH_WORDS, *model.SEARCH_CODES]
    names = [f"{division}__name", f"{division}__street__name", f"{division}__district__name"]
    rows = model._default_manager.filter(pk__in=pks).order_by().values_list("pk", "search_text", *own, *names)
    relation = model._meta.get_field(model.SEARCH_MANY)
    target = relation.related_model
    owner, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    ordering = [f"-{other}__{name[1:]}" if name.startswith("-") else f"{other}__{name}"
                for name in (*target._meta.ordering, "pk")]  # as ``.all()`` lists them
    linked = {}
    for pk, value in (relation.remote_field.through.objects.filter(**{f"{owner}__in": pks}).order_by(*ordering)
                      .values_list(f"{owner}_id", f"{other}__{'code' if model.SEARCH_MANY_CODES else 'name'}")):
        linked.setdefault(pk, []).append(value)
    words = len(model.SEARCH_WORDS)
    found = []
    for pk, stored, *values in rows:
        division_words = [name for name in values[len(own):] if name]  # none without a division
        found.append((pk, stored, compose(*parts(model, values[:words], values[words:len(own)], division_words,
                                                 linked.get(pk, [])))))
    return found


def texts_of_new(model, rows, links):
    """The search text of records about to be created, from their values: ``rows`` ``[{attname: value}]`` (their
    ``SEARCH_WORDS``, ``SEARCH_CODES`` and division id), ``links`` the ids of each row's linked records. Two
    queries (the divisions' names a thousand rows, the linked records'), and the text goes in with the row: no
    read-back and second write of every new row (each a new row version in every index of the table)."""
    from core.models import Division

    division_ids = sorted({row[f"{model.SEARCH_DIVISION}_id"] for row in rows} - {None})
    places = {}
    for chunk in bulk.chunks(division_ids, BATCH):
        places.update((pk, [name for name in names if name]) for pk, *names in Division.objects.filter(pk__in=chunk)
                      .values_list("pk", "name", "street__name", "district__name"))
    target = model._meta.get_field(model.SEARCH_MANY).related_model
    attribute = "code" if model.SEARCH_MANY_CODES else "name"
    wanted = {pk for ids in links for pk in ids}  # of a closed list (services, service fields): a few dozen
    ordered = target._default_manager.filter(pk__in=wanted).order_by(*target._meta.ordering, "pk")
    position = {pk: (at, value) for at, (pk, value) in enumerate(ordered.values_list("pk", attribute))}
    texts = []
    for row, ids in zip(rows, links, strict=True):
        linked = [position[pk][1] for pk in sorted(ids, key=position.__getitem__)]
        texts.append(compose(*parts(model, [row[name] for name in model.SEARCH_WORDS],
                                    [row[name] for name in model.SEARCH_CODES],
                                    places.get(row[f"{model.SEARCH_DIVISION}_id"], []), linked)))
    return texts


def refresh(model, pks=None):
    """Recompute ``search_text`` of ``model``'s records ``pks`` (all when None); write only what changed.

    Returns how many were written. A few queries per thousand records, not one per record.
    """
    if not hasattr(model, "SEARCH_WORDS"):
        return 0
    if pks is None:
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    pks = sorted({pk for pk in pks if pk is not None})
    written = 0
    for batch in bulk.chunks(pks, BATCH):
        changed = [(pk, text) for pk, stored, text in _texts(model, batch) if text != stored]
        # Not QuerySet.bulk_update (a CASE WHEN per row: it made a 7,000-row import 2× slower).
        bulk.update_rows(model, changed, ["search_text"])
        written += len(changed)
    return written


def refresh_under(division_pks):
    """Every searchable record in, or under, the divisions ``division_pks`` (a division renamed or moved)."""
    from django.db.models import Q

    pks = list(division_pks)
    for model in searchable_models():
        column = model.SEARCH_DIVISION
        under = Q(**{f"{column}__in": pks}) | Q(**{f"{column}__street__in": pks}) | Q(**{f"{column}__district__in": pks})
        refresh(model, model._default_manager.filter(under).values_list("pk", flat=True))


#: What of a division the records under it put in their text (its name, and its street's and district's).
PLACE_FIELDS = ("name", "street_id", "district_id")


def places_before(model, pks):
    """Before a bulk writer changes divisions ``pks``: ``{pk: (name, street, district)}``, for ``refresh_written``
    to refresh only what lies under those renamed or moved (None for any other model)."""
    from core.models import Division

    return _places(pks) if model is Division else None


def _places(pks):
    from core.models import Division

    found = {}
    for chunk in bulk.chunks(pks, BATCH):
        found.update((pk, tuple(place)) for pk, *place in
                     Division.objects.filter(pk__in=chunk).values_list("pk", *PLACE_FIELDS))
    return found


def refresh_written(model, pks, before=None):
    """After a bulk writer (the workbook import) wrote ``model``'s records ``pks``. For divisions, with ``before``
    (``places_before``): only the records under a division whose name or place changed — a workbook that updates
    households and populations renames nothing (what ``post_save`` does for one division, ``_name_before``); a
    division created by the write has no record under it yet."""
    from core.models import Division

    if model is Division:
        if before is not None:
            now = _places(before)
            pks = [pk for pk, place in before.items() if now.get(pk, place) != place]
        if pks:
            refresh_under(pks)
    else:
        refresh(model, pks)


# -- keeping the text: signals ---------------------------------------------------------------------------------


def _record_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(sender, [instance.pk])


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    owner = sender._search_owner
    if not reverse:
        refresh(owner, [instance.pk])
    elif action == "post_clear":  # a service lost every record: which they were is gone, refresh all
        refresh(owner)
    else:
        refresh(owner, pk_set or ())


def _name_before(sender, instance, raw=False, **kwargs):
    """Remember whether a division's or service's stored name (or a division's place) is about to change."""
    instance._search_renamed = False
    if raw or instance.pk is None:
        return
    fields = [name for name in ("name", "street_id", "district_id") if hasattr(instance, name)]
    before = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    instance._search_renamed = before is not None and any(before[name] != getattr(instance, name) for name in fields)


def _division_saved(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_search_renamed", False):
        refresh_under([instance.pk])


def _service_saved(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_search_renamed", False):
        for owner, field in sender._search_used_by:
            refresh(owner, owner._default_manager.filter(**{field: instance}).values_list("pk", flat=True))


def connect():
    """Called once by ``core.apps``: keep every searchable model's text (see the module docstring)."""
    from django.db.models.signals import m2m_changed, post_save, pre_save

    from core.models import Division

    pre_save.connect(_name_before, sender=Division, dispatch_uid="search_text_division_before")
    post_save.connect(_division_saved, sender=Division, dispatch_uid="search_text_division")
    for model in searchable_models():
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"search_text_{model._meta.label}")
        relation = model._meta.get_field(model.SEARCH_MANY)
        through, service = relation.remote_field.through, relation.related_model
        through._search_owner = model
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"search_text_links_{model._meta.label}")
        if "name" in {f.name for f in service._meta.concrete_fields}:  # named services are stored by name (closed lists by code: never renamed)
            service._search_used_by = [*getattr(service, "_search_used_by", []), (model, model.SEARCH_MANY)]
            pre_save.connect(_name_before, sender=service, dispatch_uid=f"search_text_before_{service._meta.label}")
            post_save.connect(_service_saved, sender=service, dispatch_uid=f"search_text_{service._meta.label}")
