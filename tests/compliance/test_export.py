import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

# ../shared beside the checkout, as on every developer's machine and in CI.
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SAMPLE_WORKBOOK = SHARED_DATA / "sample-workbook.xlsx"
SAMPLE_CSV = SHARED_DATA / "sample-compliance.csv"


@pytest.mark.django_db
def test_export_of_the_sample_workbook_equals_the_sample_csv_row_for_row():
    assert SAMPLE_WORKBOOK.exists(), f"{SAMPLE_WORKBOOK} is missing: shared/ must sit beside the checkout"
    call_command("import_workbook", str(SAMPLE_WORKBOOK), stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_compliance", "--month", "2025-06", stdout=out)
    expected = list(csv.reader(SAMPLE_CSV.read_text(encoding="utf-8").splitlines()))
    got = list(csv.reader(out.getvalue().splitlines()))
    for number, (got_row, expected_row) in enumerate(zip(got, expected, strict=False), start=1):
        assert got_row == expected_row, f"row {number}"
    assert len(got) == len(expected)


@pytest.mark.django_db
def test_export_refuses_a_malformed_month():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("export_compliance", "--month", "2025-13", stdout=io.StringIO())


@pytest.mark.django_db
def test_export_defaults_to_the_last_full_month():
    from datetime import date

    from core import dates

    assert dates.last_full_month(date(2025, 7, 1)) == date(2025, 6, 1)
    assert dates.last_full_month(date(2025, 1, 31)) == date(2024, 12, 1)
    out = io.StringIO()
    call_command("export_compliance", stdout=out)
    assert out.getvalue().splitlines()[0] == "indicator,division,value,target,passed"
