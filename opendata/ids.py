"""Stable identifiers of the open data: UUIDs that never change for a record.

Every HSDS object gets ``uuid5(NAMESPACE, name)``, where ``name`` is the record's model label and primary key
(a primary key never changes or is reused), plus the part of the record the object stands for:

    facilities.Centre:12                  the centre's service
    facilities.Centre:12:location         its location (…:address, …:phone, …:service_at_location, …)
    core.Division:7:office                the street office (街道办事处 / 乡镇人民政府) of street 7

Terms of closed, nationally fixed lists (the ten helps, the kinds of facility) are named by their code instead,
so that every portal that publishes them gives them the same ids. No migration and no stored column: the id
can be recomputed from the record anywhere (the data package, the API, another deployment's export).

Looking an id up again (``/services/{id}``) goes through ``Resolver``: a per-process memo of the ids of
primary keys 1‥max, extended when a larger key appears.
"""

import threading
import uuid
from functools import lru_cache

# Fixed forever: changing it changes every published id.
NAMESPACE = uuid.UUID("6f1b5d0e-8a53-4c55-9a0c-2d7e4b1f3c90")


def _computed(label, key, part=""):
    name = f"{label}:{key}" + (f":{part}" if part else "")
    return str(uuid.uuid5(NAMESPACE, name))


#: How many ids a process keeps (~2.5 MB): a page of fifty summaries names ~150 (each service's, its
#: organization's twice), a SHA-1 and a UUID's text each time, 5 % of the list's time.
KEPT_IDS = 1 << 13


@lru_cache(maxsize=KEPT_IDS)
def stable_id(label, key, part=""):
    """The UUID (as text) of ``part`` of record ``key`` of model ``label`` (the last ``KEPT_IDS`` kept)."""
    return _computed(label, key, part)


def record_id(obj, part=""):
    return stable_id(obj._meta.label, obj.pk, part)


class Resolver:
    """``{uuid: pk}`` of one model's records, memoised per process up to the largest primary key seen."""

    def __init__(self, label, part=""):
        self.label = label
        self.part = part
        self._ids = {}
        self._upto = 0
        self._lock = threading.Lock()

    def pk(self, text, max_pk):
        """The primary key whose id is ``text`` (None when no key up to ``max_pk`` has it)."""
        if max_pk and max_pk > self._upto:
            with self._lock:
                for key in range(self._upto + 1, max_pk + 1):
                    self._ids[_computed(self.label, key, self.part)] = key  # every key once: not kept
                self._upto = max(self._upto, max_pk)
        return self._ids.get(text)


def normalise(text):
    """The canonical text of a UUID given by a client, or None when it isn't one."""
    try:
        return str(uuid.UUID(str(text)))
    except (ValueError, AttributeError, TypeError):
        return None
