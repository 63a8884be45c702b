"""A small located city for the residents' pages: seven day-care centres, centres, teams."""

import pytest

from core.models import Kind
from eldercare.models import FacilityKind
from tests.eldercare.conftest import build_facility
from tests.facilities.conftest import make_centre
from tests.personas import make_division
from volunteers.models import ServiceField, Team

# 和平社区 at the origin of the tests; the others at known distances north of it (1° lat ≈ 111,195 m).
ORIGIN = (45.3000, 130.9700)


def north(metres):
    return ORIGIN[0] + metres / 111_195, ORIGIN[1]


@pytest.fixture
def world(city):
    street = city["street_a"]
    heping = make_division("230302001003", "和平社区", Kind.COMMUNITY, street, households=900,
                           latitude=ORIGIN[0], longitude=ORIGIN[1])
    others = [
        make_division(f"23030200200{i}", name, Kind.COMMUNITY, city["street_b"], households=500,
                      latitude=north(800 * i)[0], longitude=ORIGIN[1])
        for i, name in enumerate(["东风社区", "光明社区", "友谊社区", "新华社区", "胜利社区", "前进社区"], start=2)
    ]
    daycare = [
        build_facility(heping, code="RZ-HP", name="和平社区老年人日间照料中心", services=["meals", "bathing"],
                       latitude=north(350)[0], longitude=ORIGIN[1]),
    ]
    for i, community in enumerate(others):
        daycare.append(build_facility(community, code=f"RZ-{i}", name=f"{community.name}托老所",
                                      latitude=community.latitude, longitude=community.longitude,
                                      services=["meals"] if i % 2 else ["recreation"]))
    street_centre = build_facility(street, code="JD-1", kind=FacilityKind.STREET_CENTRE, name="向阳街道综合养老服务中心",
                                   latitude=north(2000)[0], longitude=ORIGIN[1], phone="0467-2000000")
    centre = make_centre(heping, "ZX-HP", name="和平社区党群服务中心", address="和平路 8 号",
                         latitude=north(120)[0], longitude=ORIGIN[1])
    far_centre = make_centre(city["community_b"], "ZX-NS", name="南山社区党群服务中心", address="南山路 1 号",
                             latitude=45.40, longitude=130.97)
    elderly = ServiceField.objects.create(name="助老服务")
    team = Team.objects.create(code="DW-HP", name="和平社区红马甲志愿服务队", community=heping,
                               meeting_place="和平社区党群服务中心", phone="0467-2888888")
    team.fields.set([elderly])
    return {
        "heping": heping, "others": others, "daycare": daycare, "street_centre": street_centre,
        "centre": centre, "far_centre": far_centre, "team": team, "service_field": elderly,
    }
