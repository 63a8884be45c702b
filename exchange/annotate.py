"""The annotated copy of an uploaded workbook: each cell with a problem filled red, the reason in its comment.

The clerk fixes the file they already have, cell by cell, instead of matching a list of messages to rows.
"""

import io

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from exchange import cells

BAD = PatternFill(fill_type="solid", start_color="FFF4B6B6", end_color="FFF4B6B6")
AUTHOR = "数据报送平台"


def annotated(data, marks):
    """``data`` (the uploaded .xlsx bytes) with ``marks`` — ``(sheet, row, header, reason)`` — marked."""
    workbook = load_workbook(io.BytesIO(data))
    by_title = {worksheet.title.strip(): worksheet for worksheet in workbook.worksheets}
    reasons = {}
    for sheet, row, header, reason in marks:
        worksheet = by_title.get(sheet)
        if worksheet is None:
            continue
        headers = {cells.normal_text(cell.value): cell.column for cell in worksheet[1] if cell.value is not None}
        column = headers.get(header, 1)
        reasons.setdefault((worksheet.title, row, column), []).append(reason)
    for (title, row, column), texts in reasons.items():
        cell = workbook[title].cell(row=row, column=column)
        cell.fill = BAD
        comment = Comment("\n".join(texts), AUTHOR)
        comment.width, comment.height = 320, 40 + 30 * len(texts)
        cell.comment = comment
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
