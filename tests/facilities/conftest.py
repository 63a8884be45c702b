import pytest

from core.opening import at
from facilities.models import Service
from tests.builders import EIGHT_HOURS, CentreFactory

__all__ = ["EIGHT_HOURS", "make_centre"]


def make_centre(community, code, **fields):
    """Kept for older tests: ``CentreFactory`` (tests/builders.py), a compliant operating centre."""
    return CentreFactory(community=community, code=code, **fields)


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
