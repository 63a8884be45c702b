import pytest

from core.models import Role
from tests.personas import _user


@pytest.fixture
def dora(city):
    """District reviewer of 鸡冠区 (streets A, B and the town)."""
    return _user("dora", Role.DISTRICT, city["district"])


@pytest.fixture
def dave(city):
    """District reviewer of 鸡东县 (street C only)."""
    return _user("dave", Role.DISTRICT, city["district2"])
