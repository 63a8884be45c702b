"""Named personas and a small demo city shared by every test module.

alice: clerk of street A (向阳街道); bob: clerk of street B (南山街道, same district);
rita: bureau reviewer; adam: bureau administrator; anonymous: a resident.
"""

import pytest

from core.models import Kind, Role
from tests.builders import DivisionFactory, UserFactory


def make_division(code, name, kind, parent=None, **fields):
    """Kept for older tests: ``DivisionFactory`` (tests/builders.py) with positional code, name, kind, parent."""
    return DivisionFactory(code=code, name=name, kind=kind, parent=parent, **fields)


@pytest.fixture
def city(db):
    """Two districts; district 1 has two urban streets and a town; district 2 one street."""
    d1 = make_division("230302000000", "鸡冠区", Kind.DISTRICT)
    d2 = make_division("230321000000", "鸡东县", Kind.DISTRICT)
    street_a = make_division("230302001000", "向阳街道", Kind.STREET, d1)
    street_b = make_division("230302002000", "南山街道", Kind.STREET, d1)
    town = make_division("230302200000", "红星乡", Kind.TOWN, d1)
    street_c = make_division("230321001000", "鸡东镇街道", Kind.STREET, d2)
    community_a = make_division(
        "230302001001", "建设社区", Kind.COMMUNITY, street_a,
        households=1000, population=2500, population_60plus=600, latitude=45.30, longitude=130.97,
    )
    community_a2 = make_division(
        "230302001002", "红旗社区", Kind.COMMUNITY, street_a, households=800, population=2000, population_60plus=500
    )
    community_b = make_division(
        "230302002001", "南山社区", Kind.COMMUNITY, street_b,
        households=1200, population=3000, population_60plus=700, latitude=45.31, longitude=130.98,
    )
    village = make_division(
        "230302200201", "红星村", Kind.VILLAGE, town, households=300, population=800, population_60plus=250
    )
    community_c = make_division(
        "230321001001", "东升社区", Kind.COMMUNITY, street_c, households=900, population=2100, population_60plus=520
    )
    return {
        "district": d1, "district2": d2, "street_a": street_a, "street_b": street_b, "town": town,
        "street_c": street_c, "community_a": community_a, "community_a2": community_a2,
        "community_b": community_b, "village": village, "community_c": community_c,
    }


def _user(username, role, division=None):
    """Kept for older tests: ``UserFactory`` (password "pw")."""
    return UserFactory(username=username, role=role, division=division)


@pytest.fixture
def alice(city):
    return _user("alice", Role.CLERK, city["street_a"])


@pytest.fixture
def bob(city):
    return _user("bob", Role.CLERK, city["street_b"])


@pytest.fixture
def rita(city):
    return _user("rita", Role.REVIEWER)


@pytest.fixture
def adam(city):
    return _user("adam", Role.ADMIN)


@pytest.fixture
def as_user(client):
    """``as_user(alice)`` → the test client logged in as that persona (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
