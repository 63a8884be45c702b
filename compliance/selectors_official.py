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
from fractions import Fraction

from django.utils.translation import gettext as _

from compliance import extensions, indicators
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
    now: object = None  # indicators.Result on today's records (only when changed)

    @property
    def official(self):
        """Every street in it approved: the figure is wholly official."""
        return self.streets > 0 and self.approved == self.streets

    @property
    def live(self):
        return self.approved == 0


def _fraction(text):
    return Fraction(text) if text not in ("", None) else None


def pool(pairs):
    """``(Σ numerators, Σ denominators)`` of ``pairs`` as exact fractions; ``(None, None)`` without any.

    A pair of ``(None, None)`` brings no unit (as in the engine, a group without units is left out).
    """
    pairs = [pair for pair in pairs if pair != (None, None)]
    if not pairs:
        return None, None
    numerator = sum((indicators.to_fraction(num) or 0 for num, _den in pairs), Fraction(0))
    dens = [den for _num, den in pairs if den is not None]
    denominator = sum((indicators.to_fraction(den) for den in dens), Fraction(0)) if dens else None
    return numerator, denominator


def evaluate(*, targets, ctx, within=None, by="district", parts=None, codes=None):
    """``indicators.evaluate`` for the month of ``ctx`` with the approved streets' official figures.

    Each result of a month with approvals in sight has a ``basis`` (``Basis``); without any, the rows are
    ``indicators.evaluate``'s, unchanged and without ``basis``.
    """
    official = extensions.official_figures(ctx.month, within)
    if not official:
        return indicators.evaluate(targets=targets, ctx=ctx, within=within, by=by, parts=parts, codes=codes)
    divisions = list(
        Division.objects.filter(level__in=(Level.STREET, Level.DISTRICT)).filter(division_q(Division, within))
        .order_by("code").only("pk", "code", "name", "level", "parent_id", "district_id")
    )
    streets = [division for division in divisions if division.level == Level.STREET]
    # Records grouped "by street" that stand in no street are grouped under their district (E8's units).
    loose = [division for division in divisions if division.level == Level.DISTRICT]
    live_rows = indicators.evaluate(targets=targets, ctx=ctx, within=within, by="street", parts=streets + loose,
                                    codes=codes)
    parts = parts or []
    if by == "district":
        members = {part.pk: [s.pk for s in streets if s.district_id == part.pk] for part in parts}
        loose_of = {part.pk: [part.pk] for part in parts}
    else:
        members = {part.pk: [part.pk] for part in parts}
        loose_of = {part.pk: [] for part in parts}
    everyone = [s.pk for s in streets]
    everywhere = [d.pk for d in loose]
    rows = []
    for live in live_rows:
        code = live.indicator.code
        today = {result.division.pk: pool([(result.numerator, result.denominator)]) for result in live.parts}
        frozen = {}
        for street_pk, entry in official.items():
            figures = entry["figures"].get(code)
            if figures is not None and street_pk in today:
                frozen[street_pk] = pool([(_fraction(figures[0]), _fraction(figures[1]))])

        def result_for(division, street_pks, loose_pks, live=live, today=today, frozen=frozen):
            pairs = [frozen.get(pk, today[pk]) for pk in street_pks] + [today[pk] for pk in loose_pks]
            result = indicators.Result(live.indicator, division, *pool(pairs), target=live.target)
            approved = [pk for pk in street_pks if pk in frozen]
            changed = any(frozen[pk] != today[pk] for pk in approved)
            now = None
            if changed:
                now = indicators.Result(live.indicator, division,
                                        *pool([today[pk] for pk in (*street_pks, *loose_pks)]), target=live.target)
            result.basis = Basis(
                street=division is not None and division.level == Level.STREET, streets=len(street_pks), approved=len(approved),
                accepted=sum(official[pk]["status"] == "accepted" for pk in approved), changed=changed, now=now,
            )
            return result

        total = result_for(within, everyone, everywhere)
        breakdown = [result_for(part, members[part.pk], loose_of[part.pk]) for part in parts]
        rows.append(indicators.Row(live.indicator, live.target, total, breakdown))
    return rows


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
