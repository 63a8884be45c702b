import pytest

from eldercare.models import CareService, Elder, ElderCategory, Facility, FacilityKind, id_check_digit

WEEKDAY = "08:30-11:30,13:30-17:30"


def valid_id(first17):
    return first17 + id_check_digit(first17)


def build_facility(division, *, code, kind=FacilityKind.DAYCARE, services=(), **fields):
    defaults = {
        "name": f"{division.name}{FacilityKind(kind).label}",
        "address": f"{division.name}幸福路1号",
        "phone": "0467-2345678",
        "hours_mon": WEEKDAY, "hours_tue": WEEKDAY, "hours_wed": WEEKDAY, "hours_thu": WEEKDAY,
        "hours_fri": WEEKDAY, "hours_sat": "09:00-12:00",
    }
    facility = Facility(code=code, kind=kind, division=division, **{**defaults, **fields})
    facility.full_clean()
    facility.save()
    if services:
        facility.services.set(CareService.objects.filter(code__in=services))
    return facility


@pytest.fixture
def make_facility(city):
    return build_facility


@pytest.fixture
def make_elder(city):
    counter = {"n": 0}

    def make(community, *, code=None, id_number=None, phone="13812345678", categories=("alone",), **fields):
        counter["n"] += 1
        elder = Elder(
            code=code or f"LR{counter['n']:04d}",
            name=fields.pop("name", f"老人{counter['n']}"),
            community=community,
            id_number=id_number or valid_id(f"2303021945010{counter['n']:04d}"),
            phone=phone,
            **fields,
        )
        elder.full_clean()
        elder.save()
        elder.categories.set(ElderCategory.objects.filter(code__in=categories))
        return elder

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
