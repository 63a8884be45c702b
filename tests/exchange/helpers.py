"""Building workbooks for the exchange tests."""

import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from exchange.spec import SHEETS_BY_NAME

# A copy of shared/data/sample-workbook.xlsx, so that the suite runs on a clean clone.
SAMPLE = Path(__file__).with_name("sample-workbook.xlsx")


def sample_bytes():
    return SAMPLE.read_bytes()


def workbook_bytes(sheets, headers=None):
    """``{"sheet name": [row, …]}`` → .xlsx bytes, the spec's headers first (``headers`` overrides them)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        worksheet.append(headers.get(name) if headers and name in headers else SHEETS_BY_NAME[name].headers)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def edit_sample(edit):
    """The sample workbook after ``edit(workbook)``."""
    workbook = load_workbook(io.BytesIO(sample_bytes()))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_sheets(data):
    workbook = load_workbook(io.BytesIO(data))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}


# Divisions of the ``city`` persona fixture, as workbook rows.
CITY_COMMUNITY_A = "230302001001"  # 建设社区, street A (向阳街道)
CITY_COMMUNITY_B = "230302002001"  # 南山社区, street B (南山街道)
