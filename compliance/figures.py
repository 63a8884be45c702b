"""Numbers and words as a reader sees them: exact values rounded half-up only when shown, hours in words.

Values are exact (``fractions.Fraction``); the pass decision is taken on the exact value and rounding to
2 decimals happens only when a value is shown or exported (DOMAIN.md).
"""

from decimal import MAX_PREC, ROUND_HALF_UP, Context, Decimal, Inexact
from fractions import Fraction

from django.utils.translation import gettext


def to_fraction(number):
    if number is None:
        return None
    if isinstance(number, float):
        return Fraction(Decimal(repr(number)))
    return Fraction(number)


#: Decimal arithmetic that refuses to round: a sum that would is added as Fractions instead.
_EXACT = Context(prec=MAX_PREC, traps=[Inexact])


def exact_sum(numbers):
    """The exact sum of ``numbers`` (ints, Decimals, floats as ``to_fraction`` reads them, Fractions) as a Fraction.

    Ints and Decimals — what the grouped sums give — are added as they are and made a Fraction once: a board's
    total pools 19 indicators' pairs of every part (99 districts of a 40× city), a Fraction per value cost more
    than the rest of its arithmetic."""
    whole, decimal, rest = 0, Decimal(0), Fraction(0)
    for number in numbers:
        kind = number.__class__
        if kind is int:
            whole += number
        elif kind is Decimal:
            try:
                decimal = _EXACT.add(decimal, number)
            except Inexact:  # beyond any real figure; kept exact all the same
                rest += Fraction(number)
        else:
            rest += to_fraction(number)
    return Fraction(whole) + Fraction(decimal) + rest


def half_up(value, places):
    """A Fraction rounded half-up (away from zero) to ``places`` decimals, exactly, as a Decimal.

    Integer arithmetic: no Decimal context, so no precision limit and no context switch per cell.
    """
    quotient, remainder = divmod(abs(value.numerator) * 10**places, value.denominator)
    if 2 * remainder >= value.denominator:
        quotient += 1
    return Decimal(f"{'-' if value.numerator < 0 else ''}{quotient}E-{places}")


def round2(value):
    """A Fraction rounded half-up to 2 decimals, as shown and exported."""
    return None if value is None else half_up(value, 2)


def plain(number, places=2):
    """A number for a sentence: at most ``places`` decimals, no trailing zeros (52, 7.5, 29.29)."""
    if number is None:
        return "—"
    if isinstance(number, Fraction):
        rounded = half_up(number, places)
    else:
        rounded = Decimal(number).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(rounded, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def hours_text(minutes):
    """“7.5 小时”, “7 小时 59 分”."""
    hours, rest = divmod(minutes, 60)
    if rest in (0, 30):
        return gettext("%(hours)s 小时") % {"hours": plain(Fraction(minutes, 60))}
    return gettext("%(hours)s 小时 %(minutes)s 分") % {"hours": hours, "minutes": rest}


def month_label(month):
    """“2025年6月”."""
    return gettext("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}


#: A table cell's class by pass/fail (its badge says the same in words: never colour alone).
CELL_CLASSES = {True: "cell-pass", False: "cell-fail", None: "cell-none"}


def cell_class(passed):
    return CELL_CLASSES[passed]
