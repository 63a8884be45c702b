"""The demo data: plausible shares and some deadlines to act on."""

import pytest

from core.models import Division
from tests.demo_city import seed as seed_demo_city
from volunteers.models import Member, ServiceRecord, Worker, WorkerRole


@pytest.mark.django_db
def test_demo_is_plausible(today):
    """The demo city as ``seed_demo`` writes it (its idempotence: tests/core/test_commands.py)."""
    seed_demo_city()
    assert Member.objects.exists() and ServiceRecord.objects.exists()

    communities = Division.objects.communities()
    with_backbone = communities.filter(volunteer_teams__party_backbone=True).distinct().count()
    assert communities.count() / 2 < with_backbone < communities.count()

    share = Worker.objects.certified().count() / Worker.objects.count()
    assert 0.35 <= share <= 0.45
    certified = Worker.objects.certified()
    assert certified.filter(registration_valid_until__lt=today).exists()
    assert certified.filter(registration_valid_until__gte=today, registration_valid_until__lte=today.replace(year=today.year + 1)).exists()

    streets = Division.objects.streets()
    assert Worker.objects.filter(role=WorkerRole.STATION_STAFF).exists()
    stations_certified = streets.filter(workers__in=Worker.objects.certified().on_duty()).distinct().count()
    assert 0 < stations_certified < streets.count()
