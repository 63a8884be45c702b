"""Reading what people type into a cell, and writing cells that are safe to open.

Each ``parse_*`` function takes the raw openpyxl value and returns the Python
value, or raises ``CellError`` with the reason in Chinese. They accept what a
clerk really types: full-width punctuation and digits, 是/否, dates as text or
Excel dates, numbers stored as text, phone numbers stored as numbers, and
trailing spaces.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

#: A cell that starts with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"

TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "没有", "n", "no", "false", "0", "×", "✗"}
MULTI_SEPARATORS = re.compile(r"[;,、\n]+")
EXCEL_EPOCH = datetime(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` is the reason."""


def escape_formula(value):
    """A text cell that no spreadsheet program runs as a formula (reversed by ``unescape``)."""
    if isinstance(value, str) and value and (value.startswith(FORMULA_STARTS) or value.startswith(ESCAPE)):
        return ESCAPE + value
    return value


def unescape(text):
    return text[1:] if text.startswith(ESCAPE) else text


def plain_text(value):
    """Free text (names, addresses): trimmed, the export's escape removed, numbers as typed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape(str(value).strip())


def normal_text(value):
    """Text of a coded cell: full-width forms folded to ASCII (NFKC), spaces removed at the ends."""
    text = plain_text(value)
    return unicodedata.normalize("NFKC", text).strip()


def parse_code(value):
    """A code typed as text, or as a number (Excel shows 230302001001 as a number)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normal_text(value).replace(" ", "")


def parse_int(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("应为整数"))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(_("应为整数"))
    text = normal_text(value).replace(",", "").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("应为整数")) from None
    if number != number.to_integral_value():
        raise CellError(_("应为整数"))
    return int(number)


def parse_decimal(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("应为数字"))
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = normal_text(value).replace(",", "").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("应为数字")) from None
    if not number.is_finite():
        raise CellError(_("应为数字"))
    return number


def parse_float(value):
    number = parse_decimal(value)
    return None if number is None else float(number)


def parse_bool(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = normal_text(value).lower()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("应填“是”或“否”"))


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_date(value):
    """A date typed as text (2025-06-09, 2025/6/9, 2025年6月9日), an Excel date or date-time.

    A date-time counts on the calendar date written in the cell: the time is dropped.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell that lost its date format shows Excel's serial day number.
        if 1 <= value < 2958466:
            return (EXCEL_EPOCH + timedelta(days=int(value))).date()
        raise CellError(_("不是有效的日期（应为 YYYY-MM-DD）"))
    text = normal_text(value)
    if not text:
        return None
    match = _DATE_TEXT.match(text)
    if not match:
        raise CellError(_("不是有效的日期（应为 YYYY-MM-DD）"))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError(_("不是有效的日期（应为 YYYY-MM-DD）")) from None


def choice_map(choices):
    """``{label or code: stored value}`` for ``parse_choice`` (built once per column: labels are lazy)."""
    mapping = {stored: stored for stored, _label in choices}
    mapping.update({str(label): stored for stored, label in choices})
    return mapping


def parse_choice(value, mapping):
    """A closed-list cell: the Chinese label (or the internal code) → the stored value."""
    text = normal_text(value)
    if not text:
        return None
    if text in mapping:
        return mapping[text]
    allowed = "、".join(label for label, stored in mapping.items() if label != stored)
    raise CellError(_("应为以下之一：%(allowed)s") % {"allowed": allowed})


def parse_multi(value):
    """A multi-value cell separated by ``;`` (full-width ``；``, ``，`` and ``、`` too), order kept, no repeats."""
    text = normal_text(value)
    items = []
    for part in MULTI_SEPARATORS.split(text):
        part = part.strip()
        if part and part not in items:
            items.append(part)
    return items


def parse_phone(value):
    """A phone number as text or as a number (leading zeros of a landline can't survive a number cell)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normal_text(value).replace(" ", "")
    if isinstance(value, int) and not text.startswith("1") and 9 <= len(text) <= 11:
        text = "0" + text  # a landline's area code starts with 0, which a number cell drops
    return text


def display(value):
    """How a raw cell value is named in an error message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return _("（空）")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
