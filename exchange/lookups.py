"""What an import looks records up in: the divisions its workbook names, loaded once, never all of them."""

from core.bulk import chunks
from core.models import Division, Level

IN_CHUNK = 900


class DivisionIndex:
    """Divisions by code and by primary key: those the workbook names, their ancestors, and those it creates.

    Loading every division made an import into a 60,000-community province cost twice one into an empty
    database; the workbook's own codes are a few queries whatever the size of the rest.
    """

    def __init__(self):
        self.by_code = {}
        self.by_pk = {}
        self._absent = set()

    def add(self, division):
        self.by_code[division.code] = division
        if division.pk is not None:
            self.by_pk[division.pk] = division

    def get(self, code):
        return self.by_code.get(code)

    def load_codes(self, codes):
        """Load the divisions with these codes (and their ancestors) not loaded yet."""
        missing = sorted(code for code in codes if code and code not in self.by_code and code not in self._absent)
        for chunk in chunks(missing, IN_CHUNK):
            for division in Division.objects.filter(code__in=chunk):
                self.add(division)
        self._absent.update(code for code in missing if code not in self.by_code)
        self._load_ancestors()

    def load_pks(self, pks):
        missing = sorted(pk for pk in pks if pk is not None and pk not in self.by_pk)
        for chunk in chunks(missing, IN_CHUNK):
            for division in Division.objects.filter(pk__in=chunk):
                self.add(division)
        self._absent.difference_update(self.by_code)

    def _load_ancestors(self):
        wanted = {pk for division in list(self.by_code.values())
                  for pk in (division.parent_id, division.street_id, division.district_id)}
        if wanted - self.by_pk.keys():
            self.load_pks(wanted)

    def street_of(self, division):
        """The street or town ``division`` is in (itself for a street), or None for a district."""
        if division is None:
            return None
        if division.level == Level.STREET:
            return division
        if division.level == Level.COMMUNITY:
            return self.by_pk.get(division.street_id) or division.parent
        return None
