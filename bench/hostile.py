"""The hostile-workbook set: files a bad actor or bad luck uploads, each with the outcome it must get.

Each case builds its bytes (openpyxl or raw zip) and expects one of

- ``accepted``: imports cleanly;
- ``rejected``: read, but refused with a message naming the row and field (nothing written);
- ``refused``: refused as a file before any spreadsheet code reads it (safety, limits).

Sizes follow the limits in force (``exchange.limits.limit``): the test suite runs the set with
small limits (cheap), ``python -m bench.hostile`` with the real ones and measures each case's
time, peak memory and output size in a fresh process.
"""

import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook

SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "exchange" / "sample-workbook.xlsx"

ACCEPTED, REJECTED, REFUSED = "accepted", "rejected", "refused"


@dataclass(frozen=True)
class Case:
    name: str
    expect: str
    needle: str  # a phrase the messages must contain ("" for accepted)
    build: object  # () -> bytes
    warns: str = ""  # a phrase the warnings must contain (shown before confirming)


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sample():
    return SAMPLE.read_bytes()


def edited(sheet, header, value, row=2, as_text=True):
    """The sample workbook with one cell changed (stored as text unless ``as_text`` is false)."""

    def build():
        workbook = load_workbook(io.BytesIO(sample()))
        worksheet = workbook[sheet]
        headers = [cell.value for cell in worksheet[1]]
        cell = worksheet.cell(row=row, column=headers.index(header) + 1)
        cell.value = value
        if as_text and isinstance(value, str):
            cell.data_type = "s"
        return _save(workbook)

    return build


def transformed(change):
    def build():
        workbook = load_workbook(io.BytesIO(sample()))
        change(workbook)
        return _save(workbook)

    return build


def raw_package(parts, compression=zipfile.ZIP_DEFLATED):
    """A workbook package written part by part (for XML openpyxl would never write)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def one_sheet(rows_xml, name="志愿服务队", doctype="", extra=None):
    """A minimal package with one worksheet whose ``<sheetData>`` is ``rows_xml`` (text, or an iterable of text
    pieces, streamed into the zip so that a big sheet never sits in memory whole)."""
    pieces = [rows_xml] if isinstance(rows_xml, str | bytes) else rows_xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part, content in {
            "[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS,
            "xl/workbook.xml": WORKBOOK.format(name=name), "xl/_rels/workbook.xml.rels": WORKBOOK_RELS, **(extra or {}),
        }.items():
            archive.writestr(part, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD.format(doctype=doctype).encode())
            for piece in pieces:
                sheet.write(piece if isinstance(piece, bytes) else piece.encode())
            sheet.write(SHEET_TAIL.encode())
    return buffer.getvalue()


def _inline(reference, text):
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


TEAM_HEADER = "".join(_inline(f"{column}1", header) for column, header in zip(
    "ABCDEFGH", ("队伍编号", "名称", "所属社区代码", "党员骨干", "队员人数", "负责人", "联系电话", "服务领域"), strict=True))


def team_rows(count, *, width=8, start=2, spread=None):
    """``count`` rows of the team sheet as XML pieces (``width`` cells each; ``spread`` adds entropy every n rows)."""
    rng = random.Random(19)  # noqa: S311  # test data, not security  # nosec B311
    yield f'<row r="1">{TEAM_HEADER}</row>'
    for number in range(start, start + count):
        cells = [_inline(f"A{number}", f"ZY{number:07d}"), _inline(f"B{number}", "队"),
                 _inline(f"C{number}", "230302001001"), _inline(f"D{number}", "是"),
                 f'<c r="E{number}"><v>{rng.randrange(1, 99) if spread and number % spread == 0 else 5}</v></c>']
        for extra in range(5, width):
            column = _column_letters(extra + 1)
            cells.append(f'<c r="{column}{number}"><v>1</v></c>')
        yield f'<row r="{number}">{"".join(cells)}</row>'



def _column_letters(index):
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _limits():
    from exchange.limits import limit

    return {name: limit(name) for name in ("ROWS", "CELLS", "COLUMNS", "SHEETS", "SHARED_STRINGS_MB", "PART_MB")}


def too_many_rows():
    return one_sheet(team_rows(_limits()["ROWS"] + 1, width=5))


def exactly_the_row_limit():
    """Accepted in shape (rows are at the limit); rejected for the content (code 230302001001 unknown here)."""
    return one_sheet(team_rows(_limits()["ROWS"], width=5))


def too_many_cells():
    limits = _limits()
    width = min(limits["COLUMNS"], 40)
    rows = min(limits["ROWS"], limits["CELLS"] // width + 2)
    return one_sheet(team_rows(rows, width=width))


def the_issues_bomb():
    """The issue's file: a few MB that inflate to ~190 MB of cell XML (ratio ~60 < 100), far past the cell limit."""
    limits = _limits()
    rows = min(limits["ROWS"], max(10, (limits["CELLS"] * 3) // 50))
    return one_sheet(team_rows(rows, width=50, spread=3))


def cell_at_column(column):
    return one_sheet(f'<row r="1">{TEAM_HEADER}</row><row r="2"><c r="{_column_letters(column)}2"><v>1</v></c></row>')


def sparse_far_row():
    return one_sheet(f'<row r="1">{TEAM_HEADER}</row><row r="1048576"><c r="A1048576"><v>1</v></c></row>')


def cells_without_references():
    cells = "".join("<c><v>1</v></c>" for _ in range(_limits()["COLUMNS"] + 1))
    return one_sheet(f'<row r="1">{TEAM_HEADER}</row><row>{cells}</row>')


def many_sheets():
    workbook = Workbook()
    for number in range(_limits()["SHEETS"] + 1):
        workbook.create_sheet(f"S{number}")
    return _save(workbook)


def big_shared_strings():
    size = _limits()["SHARED_STRINGS_MB"] * 1024 * 1024 + 1024
    rng = random.Random(7)  # noqa: S311  # nosec B311
    # Two letters at random: ~8-fold compression, so the file stays under 20 MB and the ratio under 100.
    text = rng.randbytes(size).translate(bytes(b"ab"[byte & 1] for byte in range(256))).decode()
    return one_sheet(f'<row r="1">{TEAM_HEADER}</row>', extra={
        "xl/sharedStrings.xml": f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{text}</t></si></sst>',
    })


def big_styles():
    size = _limits()["PART_MB"] * 1024 * 1024 + 1024
    rng = random.Random(8)  # noqa: S311  # nosec B311
    fonts = "".join(f'<font><sz val="{rng.randrange(1, 400)}"/></font>' for _ in range(size // 20))
    return one_sheet(f'<row r="1">{TEAM_HEADER}</row>', extra={
        "xl/styles.xml": f'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts>{fonts}</fonts></styleSheet>',
    })


def xxe():
    doctype = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return one_sheet(f'<row r="1">{TEAM_HEADER}</row><row r="2">{_inline("A2", "&xxe;")}</row>', doctype=doctype)


def billion_laughs():
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{n} "{("&a" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    return one_sheet(f'<row r="1">{TEAM_HEADER}</row><row r="2">{_inline("A2", "&a9;")}</row>',
                     doctype=f"<!DOCTYPE worksheet [{entities}]>")


def malformed_xml():
    return one_sheet(f'<row r="1">{TEAM_HEADER}</row><row r="2"><c r="A2" t="inlineStr"><is><t>x</is></c>')


def zip_bomb_ratio():
    return raw_package({"[Content_Types].xml": CONTENT_TYPES, "xl/worksheets/sheet1.xml": b"\0" * (30 * 1024 * 1024)})


def no_workbook_part():
    return raw_package({"[Content_Types].xml": CONTENT_TYPES, "xl/worksheets/sheet1.xml": "<worksheet/>"})


def many_bad_rows():
    """Far more bad rows than messages listed: the output stays a few hundred lines."""
    from exchange.importer import max_messages

    count = max_messages() * 5
    rng = random.Random(5)  # noqa: S311  # nosec B311
    lines = [f'<row r="1">{TEAM_HEADER}</row>']
    for number in range(2, count + 2):
        name = "".join(rng.choice("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥") for _ in range(3000))
        lines.append(f'<row r="{number}">{_inline(f"A{number}", f"Z{number}")}{_inline(f"B{number}", name)}'
                     f'{_inline(f"C{number}", "999999999999")}</row>')
    return one_sheet("".join(lines))


def _styled_empty_rows(workbook):
    worksheet = workbook["志愿服务队"]
    for row in range(worksheet.max_row + 1, worksheet.max_row + 200):
        worksheet.cell(row=row, column=1).number_format = "@"  # formatted but empty: not a record


def _reorder(workbook):
    workbook.move_sheet("探访记录", offset=-8)


def _numbers_as_typed(workbook):
    worksheet = workbook["社区村"]
    worksheet["A2"].value = 230302001001  # a code typed as a number
    worksheet = workbook["综合服务设施"]
    worksheet["E2"].value = "４８４．１"  # full-width digits


def _formula_text_names(workbook):
    worksheet = workbook["志愿服务队"]
    worksheet["B2"].value = "=1+1 队"
    worksheet["B2"].data_type = "s"  # typed as text: a name, not a formula


def _live_formula_name(workbook):
    workbook["志愿服务队"]["B2"].value = "=HYPERLINK(\"http://e.cn\",\"x\")"  # a real formula, no cached value


def _unknown_sheet(workbook):
    workbook.create_sheet("Sheet1")


def _notes_sheet(workbook):
    workbook.create_sheet("备注")["A1"] = "本月数据由王芳核对"


def _hidden_sheet(workbook):
    workbook["区县"].sheet_state = "hidden"


def _hidden_row(workbook):
    workbook["志愿服务队"].row_dimensions[2].hidden = True


def _duplicate_header(workbook):
    worksheet = workbook["志愿服务队"]
    column = worksheet.max_column + 1
    worksheet.cell(row=1, column=column, value="名称")
    worksheet.cell(row=2, column=column, value="另一个名称")


def _negative_date_serial(workbook):
    worksheet = workbook["探访记录"]
    headers = [cell.value for cell in worksheet[1]]
    cell = worksheet.cell(row=2, column=headers.index("探访日期") + 1)
    cell.value = -1
    cell.number_format = "yyyy-mm-dd"  # Excel shows 1899-12-29 for a negative serial


def _drop_column(workbook):
    workbook["综合服务设施"].delete_cols(5)


def _only_instructions(workbook):
    workbook.create_sheet("说明")
    for worksheet in list(workbook.worksheets)[:-1]:
        workbook.remove(worksheet)


def _duplicate_code(workbook):
    worksheet = workbook["志愿服务队"]
    worksheet["A3"].value = worksheet["A2"].value


def cases():
    """The whole set, in a stable order (names are the test ids)."""
    refused_files = [
        Case("text-file-named-xlsx", REFUSED, "这不是 Excel 工作簿", lambda: b"code,name\n230302000000,x\n"),
        Case("password-protected", REFUSED, "设有打开密码", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024),
        Case("truncated", REFUSED, "文件已损坏", lambda: sample()[:5000]),
        Case("zip-not-office", REFUSED, "没有工作簿内容", lambda: raw_package({"hello.txt": "hi"})),
        Case("over-20-mb", REFUSED, "超过 20 MB", lambda: b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024 + 1)),
        Case("zip-bomb-ratio", REFUSED, "压缩炸弹", zip_bomb_ratio),
        Case("no-workbook-part", REFUSED, "文件已损坏", no_workbook_part),
        Case("too-many-rows", REFUSED, "行的上限", too_many_rows),
        Case("too-many-cells", REFUSED, "单元格超过", too_many_cells),
        Case("the-issues-bomb", REFUSED, "单元格超过", the_issues_bomb),
        Case("cell-at-column-xfd", REFUSED, "列的上限", lambda: cell_at_column(16384)),
        Case("cell-one-past-column-limit", REFUSED, "列的上限", lambda: cell_at_column(_limits()["COLUMNS"] + 1)),
        Case("cells-without-references", REFUSED, "列的上限", cells_without_references),
        Case("row-1048576", REFUSED, "行的上限", sparse_far_row),
        Case("too-many-sheets", REFUSED, "个工作表", many_sheets),
        Case("big-shared-strings", REFUSED, "sharedStrings.xml", big_shared_strings),
        Case("big-styles", REFUSED, "styles.xml", big_styles),
        Case("xxe-external-entity", REFUSED, "文件已损坏", xxe),
        Case("billion-laughs", REFUSED, "文件已损坏", billion_laughs),
        Case("malformed-xml", REFUSED, "文件已损坏", malformed_xml),
    ]
    rejected_sheets = [
        Case("duplicate-header", REJECTED, "重复的列名：名称", transformed(_duplicate_header)),
        Case("missing-column", REJECTED, "缺少必填列：总建筑面积", transformed(_drop_column)),
        Case("only-instructions", REJECTED, "没有可导入的工作表", transformed(_only_instructions)),
        Case("duplicate-code", REJECTED, "与第2行重复", transformed(_duplicate_code)),
        Case("live-formula-in-name", REJECTED, "志愿服务队 第2行", transformed(_live_formula_name)),
        Case("many-bad-rows", REJECTED, "个问题未列出", many_bad_rows),
        Case("the-row-limit-exactly", REJECTED, "找不到区划代码", exactly_the_row_limit),
    ]
    bad_codes = [
        Case(f"code-{label}", REJECTED, "编号不能", edited("特殊困难老年人", "老人编号", code))
        for label, code in (("equals-hyperlink", '=HYPERLINK("http://e.cn","x")'), ("plus", "+86"), ("minus", "-1"),
                            ("at", "@A1"), ("tab-inside", "LR\t1"), ("zero-width", "LR\u200b1"),
                            ("right-to-left", "\u202eLR1"))
    ] + [
        Case("team-code-formula", REJECTED, "编号不能", edited("志愿服务队", "队伍编号", "=1+2")),
        Case("centre-code-formula", REJECTED, "编号不能", edited("综合服务设施", "设施编号", "@SUM(A1)")),
        Case("certificate-formula", REJECTED, "编号不能", edited("社区工作者", "证书编号", "-2+3")),
        Case("visit-elder-formula", REJECTED, "找不到老人编号", edited("探访记录", "老人编号", "=A1")),
    ]
    bad_fields = [
        Case("households-zero", REJECTED, "户数 0", edited("社区村", "户数", 0, as_text=False)),
        Case("area-not-a-number", REJECTED, "总建筑面积 很大：应为数字", edited("综合服务设施", "总建筑面积", "很大")),
        Case("area-infinite", REJECTED, "应为数字", edited("综合服务设施", "总建筑面积", "inf")),
        Case("activity-over-total", REJECTED, "居民活动面积 100000 平方米大于总建筑面积",
             edited("综合服务设施", "居民活动面积", 100000, as_text=False)),
        Case("date-impossible", REJECTED, "不是有效的日期", edited("探访记录", "探访日期", "2025-13-45")),
        Case("bool-word", REJECTED, "应填“是”或“否”", edited("综合服务设施", "节假日全天开放", "也许")),
        Case("choice-unknown", REJECTED, "应为以下之一", edited("综合服务设施", "状态", "拆除")),
        Case("unknown-community", REJECTED, "找不到区划代码 230302009009", edited("志愿服务队", "所属社区代码", "230302009009")),
        Case("division-code-shape", REJECTED, "区划代码", edited("社区村", "区划代码", "23030200100")),
        Case("nursing-over-beds", REJECTED, "护理型床位数 1000 大于床位数 26",
             edited("养老服务设施", "护理型床位数", 1000, as_text=False)),
        Case("latitude-without-longitude", REJECTED, "纬度和经度", edited("社区村", "经度", None)),
        Case("latitude-out-of-range", REJECTED, "纬度", edited("社区村", "纬度", 123.0, as_text=False)),
        Case("phone-not-a-phone", REJECTED, "不像电话号码", edited("综合服务设施", "联系电话", "12345")),
        Case("id-number-bad", REJECTED, "身份证号", edited("特殊困难老年人", "身份证号", "123456")),
        Case("hours-backwards", REJECTED, "周一", edited("综合服务设施", "周一", "17:00-08:00")),
        Case("huge-integer", REJECTED, "常住人口", edited("社区村", "常住人口", 10**30, as_text=False)),
        Case("name-too-long", REJECTED, "名称", edited("志愿服务队", "名称", "长" * 32000)),
        Case("name-blank", REJECTED, "名称", edited("志愿服务队", "名称", None)),
        Case("team-members-negative", REJECTED, "队员人数", edited("志愿服务队", "队员人数", -5, as_text=False)),
        Case("service-unknown", REJECTED, "不是服务项目", edited("养老服务设施", "服务项目", "助飞")),
        Case("visit-in-2099", REJECTED, "晚于今天", edited("探访记录", "探访日期", "2099-01-01")),
        Case("certificate-in-2099", REJECTED, "取得日期 2099-01-01 晚于今天", edited("社区工作者", "取得日期", "2099-01-01")),
        Case("date-serial-before-1900", REJECTED, "早于 1900 年", transformed(_negative_date_serial)),
        Case("sixty-plus-above-population", REJECTED, "60岁以上人口 99999 大于常住人口",
             edited("社区村", "60岁以上人口", 99999, as_text=False)),
        Case("households-above-population", REJECTED, "户数 99999 大于常住人口", edited("社区村", "户数", 99999, as_text=False)),
    ]
    accepted = [
        Case("the-sample", ACCEPTED, "", sample),
        Case("unknown-sheet", ACCEPTED, "", transformed(_unknown_sheet), warns="“Sheet1”不是报送模板的工作表，已忽略"),
        Case("notes-sheet", ACCEPTED, "", transformed(_notes_sheet), warns="“备注”不是报送模板的工作表，已忽略"),
        Case("hidden-sheet", ACCEPTED, "", transformed(_hidden_sheet), warns="工作表“区县”在 Excel 中是隐藏的"),
        Case("hidden-row", ACCEPTED, "", transformed(_hidden_row), warns="工作表“志愿服务队”有隐藏的行（第 2 行）"),
        Case("sheets-in-any-order", ACCEPTED, "", transformed(_reorder)),
        Case("numbers-as-typed", ACCEPTED, "", transformed(_numbers_as_typed)),
        Case("formula-looking-name-as-text", ACCEPTED, "", transformed(_formula_text_names)),
        Case("styled-empty-rows", ACCEPTED, "", transformed(_styled_empty_rows)),
        Case("cell-at-the-column-limit", ACCEPTED, "", lambda: _sample_with_cell_at(_limits()["COLUMNS"])),
        Case("full-width-punctuation", ACCEPTED, "", edited("志愿服务队", "服务领域", "助老；环境，治安")),
        Case("date-as-chinese-text", ACCEPTED, "", edited("探访记录", "探访日期", "2025年6月9日")),
    ]
    return refused_files + rejected_sheets + bad_codes + bad_fields + accepted


def _sample_with_cell_at(column):
    workbook = load_workbook(io.BytesIO(sample()))
    worksheet = workbook["区县"]
    worksheet.cell(row=1, column=column).number_format = "@"  # an empty, formatted cell far right
    return _save(workbook)


def outcome(result):
    """accepted / rejected / refused, from an ``ImportResult``."""
    if result.ok:
        return ACCEPTED
    return REFUSED if result.refused else REJECTED


# -- measuring each case in a fresh process: ``python -m bench hostile --database-url URL`` ----------------

#: The issue's bounds for a refusal, and for any run's output.
REFUSAL_SECONDS, REFUSAL_MB, OUTPUT_KB = 60, 600, 200


def measure_cases(database_url, env, workdir, names=None):
    """Import each case with ``manage.py import_workbook --dry-run`` in a child; time, peak RSS, output size."""
    import os
    import subprocess  # nosec B404
    import sys
    import time

    from bench.server import ROOT

    results = []
    for case in cases():
        if names and case.name not in names:
            continue
        path = Path(workdir) / f"{case.name}.xlsx"
        path.write_bytes(case.build())
        log = Path(workdir) / f"{case.name}.log"
        peak = Path(workdir) / f"{case.name}.peak"
        started = time.perf_counter()
        with open(log, "wb") as sink:  # noqa: PTH123
            process = subprocess.Popen(  # noqa: S603  # nosec B603
                [sys.executable, "-m", "bench.peak", str(peak), "manage.py", "import_workbook", str(path), "--dry-run"],
                cwd=ROOT, env={**os.environ, **env, "DATABASE_URL": database_url}, stdout=sink, stderr=subprocess.STDOUT,
            )
            try:
                process.wait(timeout=600)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        seconds = time.perf_counter() - started
        peak_mb = int(peak.read_text() or 0) / 1024 if peak.exists() else float("nan")
        peak.unlink(missing_ok=True)
        output = log.read_bytes()
        log.unlink()
        text = output.decode("utf-8", "replace")
        got = ACCEPTED if process.returncode == 0 else ("needle" if case.needle in text else "other")
        matched = (got == ACCEPTED) if case.expect == ACCEPTED else (got == "needle")
        results.append({
            "name": case.name, "expect": case.expect, "matched": matched, "seconds": round(seconds, 2),
            "peak_mb": round(peak_mb, 1), "output_kb": round(len(output) / 1024, 1),
            "size_kb": round(path.stat().st_size / 1024, 1),
            "tail": "" if matched else text[-300:],
        })
        path.unlink()
    return results


