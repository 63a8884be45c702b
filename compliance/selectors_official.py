"""A month's official figures: approved streets' frozen figures, rolled up to districts and the city.

When a district approves a street's month (the reporting cycle, docs/REPORTING.md), the street's figures for
that month are frozen: every indicator's exact numerator and denominator. Every reader of that month's figures
(the matrix of a clerk, a district reviewer and the city, drill-downs, street pages, the exports) goes through
``evaluate`` here, which forms them so:

- a street's figure is its frozen numerator ÷ denominator once approved (or accepted by the city), and today's
  records otherwise (the pages mark those 未审核 · 当前数据);
- a district's and the city's figure is formed as every roll-up of DOMAIN.md (“the ALL row pools every unit
  and every sum”): its streets' numerators are summed and their denominators are summed, then the one
  division is done on the sums, never a mean of the streets' percentages or ratios. Each street brings its
  frozen pair when approved and today's pair when not. This holds for each indicator's own unit: F1–F6, V1,
  E2–E5, E7 count units (passing ÷ all), F3, S1–S3, E1, E6 sum areas, people, beds or residents, S4 counts
  people; all of them add up street by street. Records that stand in no street (E8's unit is the district
  itself) are today's, always;
- where an approved street's figure on today's records differs from the frozen one, the figure carries
  ``basis.changed`` and ``basis.now`` (today's figure): the pages say 审核后修改 and what it is now.

A month with no approved street in sight is evaluated as before (one grouped query per base table, by district
or street); with approvals, by street, plus one query for the approved periods and one for the divisions: the
count does not grow with the number of streets or periods. Whether a figure passes is judged against the plan
in force, like every other figure (the targets are data; the frozen numbers are the month's measurement).
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from compliance import board, extensions, figures, rules
from core.models import Division, Level
from core.scoping import division_q


@dataclass
class Basis:
    """How one figure was formed: of its ``streets``, how many are ``approved`` (of which ``accepted`` by the
    city); ``changed``: an approved street's figure differs on today's records, which give ``now``;
    ``street``: the figure is one street's own."""

    street: bool = False
    streets: int = 0
    approved: int = 0
    accepted: int = 0
    changed: bool = False
    now: object = None  # board.Result on today's records (only when changed)

    @property
    def official(self):
        """Every street in it approved: the figure is wholly official."""
        return self.streets > 0 and self.approved == self.streets


def _number(text):
    """A frozen figure (``str(Fraction)``: "600", "1203/2", or "" for none) as an int or a Fraction."""
    if text in ("", None):
        return None
    return int(text) if "/" not in text else Fraction(text)


class _Sum:
    """Σ numerators and Σ denominators of the pairs added, pooled as the engine pools a division's groups (a
    missing numerator counts 0; no denominator at all stays None), exactly and fast: ints and decimals (the
    database's sums) add as they are, fractions (frozen figures) apart, joined once at the end."""

    __slots__ = ("units", "num", "num_fraction", "den", "den_fraction", "dens")

    def __init__(self):
        self.units = self.dens = False
        self.num = self.den = 0
        self.num_fraction = self.den_fraction = None

    def add(self, num, den):
        self.units = True
        if num is not None:
            if isinstance(num, int | Decimal):
                self.num += num
            else:
                self.num_fraction = (self.num_fraction or 0) + figures.to_fraction(num)
        if den is not None:
            self.dens = True
            if isinstance(den, int | Decimal):
                self.den += den
            else:
                self.den_fraction = (self.den_fraction or 0) + figures.to_fraction(den)

    @staticmethod
    def _join(plain, fraction):
        return plain if fraction is None else Fraction(plain) + fraction

    def pair(self):
        if not self.units:
            return None, None
        return self._join(self.num, self.num_fraction), self._join(self.den, self.den_fraction) if self.dens else None


def _same(frozen, today):
    """Whether a frozen pair is today's pair (``None``: no units; a missing numerator counts 0)."""
    if today is None:
        return frozen == (None, None)
    num, den = today
    return frozen == (0 if num is None else num, den)


class _Cell:
    """One figure being formed: official (frozen where approved) and today's sums, and how it was formed."""

    __slots__ = ("official", "today", "streets", "approved", "accepted", "changed")

    def __init__(self):
        self.official, self.today = _Sum(), _Sum()
        self.streets = self.approved = self.accepted = 0
        self.changed = False

    def add_street(self, pair, then, *, approved, accepted, changed):
        """One street: today's ``pair``, and once ``approved`` its frozen pair ``then`` in the official sums."""
        self.streets += 1
        if pair is not None:
            self.today.add(*pair)
        if not approved:
            if pair is not None:
                self.official.add(*pair)
            return
        self.approved += 1
        self.accepted += accepted
        self.changed = self.changed or changed
        if then != (None, None):
            self.official.add(*then)

    def add_loose(self, pair):
        """Records that stand in no street (E8's units): today's, in both sums."""
        self.today.add(*pair)
        self.official.add(*pair)

    def result(self, indicator, division, target):
        found = board.Result(indicator, division, *self.official.pair(), target=target)
        found.basis = Basis(
            street=division is not None and division.level == Level.STREET, streets=self.streets,
            approved=self.approved, accepted=self.accepted, changed=self.changed,
            now=board.Result(indicator, division, *self.today.pair(), target=target) if self.changed else None,
        )
        return found


def evaluate(*, targets, ctx, within=None, by="district", parts=None, codes=None):
    """``board.evaluate`` for the month of ``ctx`` with the approved streets' official figures.

    Each result of a month with approvals in sight has a ``basis`` (``Basis``); without any, the rows are
    ``board.evaluate``'s, unchanged and without ``basis``.
    """
    official = extensions.official_figures(ctx.month, within)
    if not official:
        return board.evaluate(targets=targets, ctx=ctx, within=within, by=by, parts=parts, codes=codes)
    chosen = [rules.get(code) for code in codes or rules.INDICATORS]
    divisions = list(
        Division.objects.filter(level__in=(Level.STREET, Level.DISTRICT)).filter(division_q(Division, within))
        .order_by().values_list("pk", "level", "district_id", "city_id")
    )
    parts = parts or []
    # Each street counts in the total and in its part (its city, its district, or itself); a district's own group
    # holds the records grouped "by street" that stand in no street (E8's units), today's always.
    streets = [(pk, {"city": city, "district": district}.get(by, pk))
               for pk, level, district, city in divisions if level == Level.STREET]
    loose = [(pk, {"city": city, "district": pk}.get(by))
             for pk, level, _district, city in divisions if level == Level.DISTRICT]
    grouped = board.board_rows(tuple(indicator.code for indicator in chosen), ctx.month, within, "street")
    frozen = {pk: entry["figures"] for pk, entry in official.items()}
    accepted = {pk for pk, entry in official.items() if entry["status"] == "accepted"}
    month = _Month(streets, loose, frozen, accepted)
    return [month.row(indicator, targets.get(indicator.code), indicator.pair(grouped), within, parts)
            for indicator in chosen]


@dataclass
class _Month:
    """The month's streets and districts in sight, with the approved streets' frozen figures."""

    streets: list  # [(street pk, the part it counts in)]
    loose: list  # [(district pk, the part it counts in)]
    frozen: dict  # {street pk: {code: [numerator, denominator, …]}}
    accepted: set  # street pks accepted by the city

    def row(self, indicator, target, today, within, parts):
        """One indicator's ``board.Row`` from today's pairs (``{group: (numerator, denominator)}``, groups with
        units only) and the frozen ones."""
        total = _Cell()
        cells = {part.pk: _Cell() for part in parts}
        for pk, part in self.streets:
            figures = self.frozen.get(pk, {}).get(indicator.code)
            pair = today.get(pk)
            then = None if figures is None else (_number(figures[0]), _number(figures[1]))
            changed = figures is not None and not _same(then, pair)
            for cell in (total, cells[part]) if part in cells else (total,):
                cell.add_street(pair, then, approved=figures is not None, accepted=pk in self.accepted,
                                changed=changed)
        for pk, part in self.loose:
            pair = today.get(pk)
            if pair is not None:
                for cell in (total, cells[part]) if part in cells else (total,):
                    cell.add_loose(pair)
        return board.Row(indicator, target, total.result(indicator, within, target),
                         [cells[part.pk].result(indicator, part, target) for part in parts])


def coverage(rows):
    """``(total, [per part])`` of ``Basis`` for the columns of a matrix (None without approvals in sight);
    ``changed`` when any indicator's figure in that column changed after approval."""
    first = next((row for row in rows if hasattr(row.total, "basis")), None)
    if first is None:
        return None, []

    def column(results):
        bases = [result.basis for result in results if hasattr(result, "basis")]
        if not bases:
            return None
        one = bases[0]
        return Basis(street=one.street, streets=one.streets, approved=one.approved, accepted=one.accepted,
                     changed=any(basis.changed for basis in bases))

    total = column([row.total for row in rows])
    parts = [column([row.parts[index] for row in rows if len(row.parts) > index]) for index in range(len(first.parts))]
    return total, parts


def basis_text(result):
    """Where a figure comes from, in words (the Excel download's 数据来源); "" outside a month with approvals."""
    basis = getattr(result, "basis", None)
    if basis is None:
        return ""
    if basis.approved == 0:
        text = _("当前记录（未审核）")
    elif basis.street:
        text = _("审核通过的正式数据")
    elif basis.approved == basis.streets:
        text = _("各街道审核通过的正式数据")
    else:
        text = _("%(approved)s/%(streets)s 个街道为审核通过的正式数据，其余为当前记录") % {
            "approved": basis.approved, "streets": basis.streets}
    if basis.changed:
        now = "—" if basis.now.rounded is None else str(basis.now.rounded)
        text += _("；审核后修改，按当前记录现为 %(now)s") % {"now": now}
    return text
