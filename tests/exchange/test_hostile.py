"""The hostile-workbook set (bench/hostile.py): each case accepted, rejected or refused as expected.

Run here with small limits so that every case is cheap; ``python -m bench.hostile`` runs the same
set with the real limits and measures time, memory and output per case.
"""

import pytest

from bench import hostile
from core.models import Division, ImportBatch
from exchange.importer import import_workbook

pytestmark = pytest.mark.django_db

CASES = hostile.cases()


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.EXCHANGE_MAX_ROWS = 300
    settings.EXCHANGE_MAX_CELLS = 4000
    settings.EXCHANGE_MAX_SHARED_STRINGS_MB = 1
    settings.EXCHANGE_MAX_PART_MB = 1
    settings.EXCHANGE_MAX_MESSAGES = 20


def test_the_set_covers_every_outcome_and_is_at_least_65_cases():
    assert len(CASES) >= 65
    assert {case.expect for case in CASES} == {hostile.ACCEPTED, hostile.REJECTED, hostile.REFUSED}
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_hostile_workbook_gets_its_outcome(case):
    result = import_workbook(case.build(), file_name=f"{case.name}.xlsx")
    messages = "\n".join(result.listed())
    assert hostile.outcome(result) == case.expect, messages[:2000]
    assert case.needle in messages
    assert case.warns in "\n".join(result.warnings)
    assert len(messages.encode()) <= 200 * 1024
    assert len(result.listed()) <= 21
    if case.expect != hostile.ACCEPTED:
        assert not ImportBatch.objects.exists() and not Division.objects.exists()  # nothing half-written
