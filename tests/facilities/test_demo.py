import random
from io import StringIO

from core import demo as core_demo
from core.fields import Status
from facilities import demo
from facilities.models import Centre, Service


def seed_twice(db):
    core_demo.seed(StringIO(), random.Random(1))
    demo.seed(StringIO(), random.Random(2))
    first = list(Centre.objects.values_list("code", "activity_area", "verified_on"))
    demo.seed(StringIO(), random.Random(2))
    return first


def test_demo_is_idempotent_and_leaves_some_communities_without_a_centre(db):
    first = seed_twice(db)
    assert list(Centre.objects.values_list("code", "activity_area", "verified_on")) == first
    from core.models import Division

    without = Division.objects.communities().filter(centres__isnull=True)
    assert set(without.values_list("code", flat=True)) == demo.WITHOUT_CENTRE
    assert Service.objects.count() == len(demo.SERVICES)


def test_demo_has_the_deliberate_problems(db):
    seed_twice(db)
    small = Centre.objects.get(community__code=demo.SMALL_ACTIVITY_SHARE)
    assert small.activity_area / small.total_area < 0.6
    assert Centre.objects.get(community__code=demo.SHORT_HOURS).shortest_day_minutes < 8 * 60
    assert not Centre.objects.get(community__code=demo.NO_VOLUNTEER_STATION).has_volunteer_station
    assert Centre.objects.get(community__code=demo.UNDER_CONSTRUCTION).status == Status.CONSTRUCTION
    assert Centre.objects.filter(shortest_day_minutes=8 * 60, status=Status.OPERATING).count() > 10
