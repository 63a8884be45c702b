import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.compliance.sample_loader import load_sample

SAMPLE_CSV = Path("/work/shared/data/sample-compliance.csv")


@pytest.mark.django_db
def test_export_of_the_sample_workbook_equals_the_sample_csv_row_for_row():
    load_sample()
    out = io.StringIO()
    call_command("export_compliance", "--month", "2025-06", stdout=out)
    expected = list(csv.reader(SAMPLE_CSV.read_text(encoding="utf-8").splitlines()))
    got = list(csv.reader(out.getvalue().splitlines()))
    for number, (got_row, expected_row) in enumerate(zip(got, expected, strict=False), start=1):
        assert got_row == expected_row, f"row {number}"
    assert len(got) == len(expected)
