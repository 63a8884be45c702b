import pytest

from tests.builders import WEEKDAY, ElderFactory, FacilityFactory, valid_id

__all__ = ["WEEKDAY", "build_facility", "valid_id"]


def build_facility(division, *, code, **fields):
    """Kept for older tests: ``FacilityFactory`` (tests/builders.py), a day-care centre unless ``kind`` says."""
    return FacilityFactory(division=division, code=code, **fields)


@pytest.fixture
def make_facility(city):
    return build_facility


@pytest.fixture
def make_elder(city):
    """``make_elder(community, …)``: ``ElderFactory`` with this test's own numbering (LR0001, 老人1 …)."""
    counter = {"n": 0}

    def make(community, *, code=None, id_number=None, phone="13812345678", categories=("alone",), **fields):
        counter["n"] += 1
        return ElderFactory(
            code=code or f"LR{counter['n']:04d}", name=fields.pop("name", f"老人{counter['n']}"), community=community,
            id_number=id_number or valid_id(f"2303021945010{counter['n']:04d}"), phone=phone, categories=categories,
            **fields,
        )

    return make


@pytest.fixture
def elder_a(city, make_elder):
    """An elder of alice's street (向阳街道 / 建设社区)."""
    return make_elder(city["community_a"], code="LR-A1", name="张秀英", id_number=valid_id("23030219400101123"),
                      phone="13812345678")


@pytest.fixture
def elder_b(city, make_elder):
    """An elder of bob's street (南山街道 / 南山社区)."""
    return make_elder(city["community_b"], code="LR-B1", name="李桂兰", id_number=valid_id("23030219380202456"),
                      phone="13998765432")
