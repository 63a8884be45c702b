from decimal import Decimal

import pytest

from core.fields import Status
from core.opening import at
from facilities.models import Centre, Service

EIGHT_HOURS = "08:00-12:00,13:00-17:00"


def make_centre(community, code, **fields):
    """A compliant operating centre; ``fields`` override what a test is about."""
    values = {
        "name": f"{community.name}党群服务中心", "address": f"{community.name}幸福路1号",
        "total_area": Decimal("600"), "activity_area": Decimal("400"),
        **{f"hours_{day}": EIGHT_HOURS for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        "open_on_holidays": True, "has_volunteer_station": True, "phone": "0467-2345678",
        "status": Status.OPERATING,
    }
    values.update(fields)
    centre = Centre(code=code, community=community, **values)
    centre.full_clean()
    centre.save()
    return centre


@pytest.fixture
def centre_a(city):
    return make_centre(city["community_a"], "SQ-A")


@pytest.fixture
def centre_b(city):
    return make_centre(city["community_b"], "SQ-B")


@pytest.fixture
def services(db):
    return [Service.objects.create(name=name, ordering=i) for i, name in enumerate(["党建活动", "养老服务", "法律咨询"])]


@pytest.fixture
def now_is(monkeypatch):
    """``now_is(2025, 10, 1, 10, 0)`` fixes the clock at that Asia/Shanghai time."""

    def fix(*args):
        moment = at(*args)
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
        return moment

    return fix
