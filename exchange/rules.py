"""The import's rules for a clerk's workbook (issue #18), kept apart from the reading loop in ``importer``.

- every message quotes a cell shortened to 50 characters + "…" (a 10 MB cell gives a short message);
- two columns with the same header are an error (which one would win is a guess);
- sheets the portal does not know (e.g. 备注) are ignored with a warning; hidden sheets and hidden rows are
  imported, with a warning the clerk sees before confirming;
- closed vocabularies (服务领域, 十助, 类别) come from the database: an unknown value is an error that
  suggests the nearest known one;
- plausibility (future visits and certificates, dates before 1900, more people aged 60+ or households than
  residents) is the reporting cycle's validation rules, run on every imported record through
  ``core.record_checks`` with the severity the bureau sets: written once, not here.
"""

import difflib
import io
import re
import zipfile
from collections import Counter

from django.utils.translation import gettext as _

from exchange import limits

#: Characters of a cell's value quoted in a message, before "…".
SHOWN = 50
#: Hidden row numbers listed per sheet in a warning, before "等 N 行".
HIDDEN_ROWS_SHOWN = 10

_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


def shorten(text, size=SHOWN):
    text = str(text)
    return text if len(text) <= size else text[:size] + "…"


def shorten_in(reason, raw_text):
    """``reason`` with any whole copy of a long cell replaced by its shortened form (messages quote values)."""
    if raw_text and len(raw_text) > SHOWN and raw_text in reason:
        reason = reason.replace(raw_text, shorten(raw_text))
    return shorten(reason, 400)


def duplicate_headers(header):
    """Headers that appear more than once in the first row (blank cells ignored)."""
    counts = Counter(name for name in header if name)
    return [name for name, count in counts.items() if count > 1]


def hidden_rows(data, sheet_names):
    """``{sheet name: [row numbers]}`` of rows marked hidden in the sheets named ``sheet_names``.

    Read-only openpyxl does not expose row attributes, so the sheet XML is scanned the way
    ``exchange.limits`` scans it (the file has already passed its limits).
    """
    archive = zipfile.ZipFile(io.BytesIO(data))
    paths = limits._sheet_names(archive, {info.filename for info in archive.infolist()})
    found = {}
    for path, name in paths.items():
        if name.strip() not in sheet_names:
            continue
        rows = []
        tail = b""
        with archive.open(path) as stream:
            while True:
                chunk = stream.read(limits.CHUNK)
                text = tail + chunk
                cut = text.rfind(b"<")
                if chunk and cut != -1 and text.find(b">", cut) == -1:
                    text, tail = text[:cut], text[cut:]
                else:
                    tail = b""
                for match in _ROW_TAG.finditer(text):
                    attributes = match.group(1)
                    if _HIDDEN.search(attributes):
                        number = _ROW_NUMBER.search(attributes)
                        if number:
                            rows.append(int(number.group(1)))
                if not chunk:
                    break
        if rows:
            found[name.strip()] = rows
    return found


def hidden_rows_warning(sheet, rows):
    listed = "、".join(str(number) for number in rows[:HIDDEN_ROWS_SHOWN])
    more = _("等 %(count)s 行") % {"count": len(rows)} if len(rows) > HIDDEN_ROWS_SHOWN else ""
    return _("工作表“%(sheet)s”有隐藏的行（第 %(rows)s%(more)s 行）：这些行也会导入，请取消隐藏核对后再确认。") % {
        "sheet": sheet, "rows": listed, "more": more}


def nearest(name, known):
    """The known value closest to ``name`` (or None): what a typo, a missing character or a copied example
    most likely meant."""
    known = [str(value) for value in known]
    match = difflib.get_close_matches(name, known, n=1, cutoff=0.3)
    if match:
        return match[0]
    # “助老;环境” pasted whole, or “助老服务”: a known value contained in it, or containing it.
    return next((value for value in known if value and (value in name or name in value)), None)


def unknown_value_message(unknown, column, known):
    suggestion = nearest(unknown, known)
    message = _("“%(value)s”不是%(column)s的可选值") % {"value": shorten(unknown), "column": column}
    if suggestion:
        message += _("，您是不是要填“%(suggestion)s”？") % {"suggestion": suggestion}
    else:
        message += "。"
    shown = "、".join(str(value) for value in list(known)[:30])
    return message + _("可选值：%(known)s") % {"known": shown or _("（民政局尚未设置）")}
