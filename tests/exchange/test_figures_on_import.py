"""The workbook import writes with bulk_create and a raw ``UPDATE … FROM``: the kept home-page counts follow it."""

import pytest

from exchange.importer import import_workbook
from portal import figures
from tests.exchange.helpers import edit_sample, sample_bytes
from tests.portal.test_street_figures import fresh_counts


@pytest.mark.django_db
def test_the_workbook_imports_raw_inserts_and_updates_are_counted(boss):
    assert import_workbook(sample_bytes(), file_name="s.xlsx", user=boss).ok
    assert figures.headline() == fresh_counts() and fresh_counts()["teams"] == 22
    before = figures.headline()

    def change(workbook):
        workbook["综合服务设施"]["S2"] = "停用"  # a status, through the raw UPDATE … FROM
        workbook["养老服务设施"]["Q2"] = "在建"
        workbook["志愿服务队"]["C2"] = "230302002001"  # a team moved to another street

    result = import_workbook(edit_sample(change), file_name="s2.xlsx", user=boss)
    assert result.ok, result.errors
    assert figures.differences() == []
    assert figures.headline() == fresh_counts() == {**before, "centres": before["centres"] - 1,
                                                    "eldercare": before["eldercare"] - 1}
