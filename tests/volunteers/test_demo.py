"""The demo data: plausible shares, some deadlines to act on, and idempotent."""

import io
import random

import pytest

from core import demo as core_demo
from core.models import Division
from volunteers import demo
from volunteers.models import Member, ServiceRecord, Team, Worker, WorkerRole


@pytest.mark.django_db
def test_demo_is_plausible_and_idempotent(today):
    core_demo.seed(io.StringIO(), random.Random("2303-core"))
    demo.seed(io.StringIO(), random.Random("2303-volunteers"))
    counts = (Team.objects.count(), Member.objects.count(), ServiceRecord.objects.count(), Worker.objects.count())
    demo.seed(io.StringIO(), random.Random("2303-volunteers"))
    assert (Team.objects.count(), Member.objects.count(), ServiceRecord.objects.count(), Worker.objects.count()) == counts

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
