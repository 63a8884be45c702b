"""How much work a workbook is, measured before any spreadsheet code reads it.

``exchange.safety`` refuses what the zip directory gives away (size, ratio). A
workbook within those limits can still hold millions of cells (≈190 MB of XML
compresses 60-fold): reading it costs minutes and gigabytes. ``measure`` streams
each worksheet's XML once, counting rows and cells and the widest column (sparse
cells at column XFD make openpyxl build 16,384-wide rows), and stops at the first
limit passed, so a refusal costs at most one limit's worth of scanning and a few
megabytes of memory. The limits are settings (``EXCHANGE_MAX_*``).
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from exchange.safety import FileRefused

CHUNK = 1024 * 1024
#: No start tag of a real workbook is this long.
MAX_TAG_BYTES = 64 * 1024
#: ``<row …>`` and ``<c …>`` start tags (any namespace prefix), with their attributes.
TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s>/])([^>]*)>")
ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
CELL_COLUMN = re.compile(rb'\sr="([A-Za-z]{1,3})\d+"')
SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\sname="([^"]*)"[^>]*?\s(?:\w+:)?id="([^"]*)"')
RELATIONSHIP = re.compile(rb'<Relationship\b[^>]*?\sId="([^"]*)"[^>]*?\sTarget="([^"]*)"')
RELATIONSHIP_REVERSED = re.compile(rb'<Relationship\b[^>]*?\sTarget="([^"]*)"[^>]*?\sId="([^"]*)"')
#: Parts other than worksheets (styles, shared strings, the workbook) that openpyxl reads whole.
SMALL_PARTS_BYTES = 1024 * 1024


def limit(name):
    return getattr(settings, f"EXCHANGE_MAX_{name}", DEFAULTS[name])


DEFAULTS = {
    "SHEETS": 30,
    "ROWS": 200_000,  # per sheet: the 4× benchmark city's visits are 130,000
    "CELLS": 2_000_000,  # the whole workbook: the 4× city exports about 1,000,000
    "COLUMNS": 64,  # the widest sheet has 21 columns
    "SHARED_STRINGS_MB": 64,
    "PART_MB": 16,  # styles, workbook, relationships, …
    # Above this many cells an accepted import runs as a background task, not in the web request.
    "INLINE_CELLS": 100_000,
}


@dataclass
class Shape:
    """What the scan found: cells and rows per sheet (only up to the first limit passed)."""

    cells: int = 0
    rows: dict = field(default_factory=dict)

    @property
    def total_rows(self):
        return sum(self.rows.values())


def measure(data):
    """``Shape`` of ``data`` (already passed ``safety.check_workbook_bytes``); ``FileRefused`` past a limit."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    names = _sheet_names(archive, {info.filename for info in infos})
    worksheets = [info for info in infos if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")]
    if len(worksheets) > limit("SHEETS"):
        raise FileRefused(_("工作簿有 %(count)s 个工作表，超过 %(limit)s 个的上限。") % {
            "count": len(worksheets), "limit": limit("SHEETS")})
    for info in infos:
        if info in worksheets:
            continue
        cap = limit("SHARED_STRINGS_MB" if info.filename.endswith("sharedStrings.xml") else "PART_MB")
        if info.file_size > cap * 1024 * 1024:
            raise FileRefused(_("工作簿中的 %(part)s 解压后有 %(size).0f MB，超过 %(limit)s MB 的上限，已拒绝。") % {
                "part": info.filename, "size": info.file_size / 1024 / 1024, "limit": cap})
    shape = Shape()
    for info in worksheets:
        name = names.get(info.filename, info.filename)
        with archive.open(info) as stream:
            shape.rows[name] = _scan(stream, name, shape)
    return shape


def _scan(stream, name, shape):
    """Rows of one worksheet; adds its cells to ``shape.cells``; refuses past a limit."""
    counter = _Counter(name, shape)
    for text in _tags_text(stream):
        for match in TAG.finditer(text):
            if match.group(1) == b"row":
                counter.row(match.group(2))
            else:
                counter.cell(match.group(2))
    return counter.rows


def _tags_text(stream):
    """The worksheet's XML in chunks that never split a tag (an unfinished tag waits for the next chunk)."""
    tail = b""
    while True:
        chunk = stream.read(CHUNK)
        text, tail = tail + chunk, b""
        if chunk:
            start = text.rfind(b"<")
            if start != -1 and text.find(b">", start) == -1:
                text, tail = text[:start], text[start:]
                if len(tail) > MAX_TAG_BYTES:
                    raise FileRefused(_("文件已损坏，无法读取：请在 Excel 中重新另存为 .xlsx 后再上传。"))
        yield text
        if not chunk:
            return


class _Counter:
    """Rows, cells and the widest column of one worksheet so far, refusing at the first limit passed."""

    def __init__(self, name, shape):
        self.name, self.shape = name, shape
        self.max_rows, self.max_cells, self.max_columns = limit("ROWS"), limit("CELLS"), limit("COLUMNS")
        self.rows = self.row_number = self.column = 0

    def row(self, attributes):
        self.rows += 1
        number = ROW_NUMBER.search(attributes)
        self.row_number = int(number.group(1)) if number else self.row_number + 1
        self.column = 0
        if self.rows > self.max_rows + 1 or self.row_number > self.max_rows + 1:
            raise FileRefused(_(
                "工作表“%(sheet)s”超过 %(limit)s 行的上限（已读到第 %(row)s 行），未读取任何数据："
                "请分街道或分表报送。") % {"sheet": self.name, "limit": self.max_rows, "row": self.row_number})

    def cell(self, attributes):
        self.shape.cells += 1
        letters = CELL_COLUMN.search(attributes)
        self.column = _column_index(letters.group(1)) if letters else self.column + 1
        if self.column > self.max_columns:
            raise FileRefused(_(
                "工作表“%(sheet)s”第 %(row)s 行用到了第 %(column)s 列，超过 %(limit)s 列的上限：请删除多余的列后再上传。"
            ) % {"sheet": self.name, "row": self.row_number, "column": self.column, "limit": self.max_columns})
        if self.shape.cells > self.max_cells:
            raise FileRefused(_(
                "工作簿的单元格超过 %(limit)s 个的上限（在工作表“%(sheet)s”第 %(row)s 行），未读取任何数据："
                "请分街道或分表报送。") % {"limit": self.max_cells, "sheet": self.name, "row": self.row_number})


def _column_index(letters):
    index = 0
    for letter in letters.upper():
        index = index * 26 + letter - 64
    return index


def _sheet_names(archive, names):
    """``{"xl/worksheets/sheet1.xml": "区县", …}`` from the workbook and its relationships (best effort)."""
    try:
        workbook = _small(archive, "xl/workbook.xml", names)
        relations = _small(archive, "xl/_rels/workbook.xml.rels", names)
    except KeyError:
        return {}
    targets = {rid: target for rid, target in RELATIONSHIP.findall(relations)}
    targets.update({rid: target for target, rid in RELATIONSHIP_REVERSED.findall(relations)})
    found = {}
    for sheet_name, rid in SHEET.findall(workbook):
        target = targets.get(rid)
        if target is None:
            continue
        target = target.decode("utf-8", "replace")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        found[path] = _unescape(sheet_name.decode("utf-8", "replace"))
    return found


def _small(archive, name, names):
    if name not in names or archive.getinfo(name).file_size > SMALL_PARTS_BYTES:
        raise KeyError(name)
    return archive.read(name)


def _unescape(text):
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text
