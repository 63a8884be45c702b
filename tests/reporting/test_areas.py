"""The kept community areas (``reporting.areas``, triggers of migration 0005) and the median read from them."""

import random
import threading
from decimal import Decimal
from statistics import median

import pytest
from django.db import connection

from core.models import Division, Kind
from facilities.models import Centre
from reporting import areas, rules
from reporting.models import CommunityArea
from tests.builders import CentreFactory, DivisionFactory


def kept():
    return dict(CommunityArea.objects.exclude(area=0).values_list("community", "area"))


def test_every_kind_of_write_of_a_centre_keeps_its_communitys_area(city):
    a, b = city["community_a"], city["community_b"]
    first = CentreFactory(community=a, code="A-1", total_area=Decimal("600.50"))
    second = CentreFactory(community=a, code="A-2", total_area=Decimal("300"), activity_area=Decimal("200"))
    assert kept() == {a.pk: Decimal("900.50")}

    first.total_area = Decimal("700.25")
    first.save()  # the admin's save
    Centre.objects.filter(pk=second.pk).update(status="closed")  # QuerySet.update: no signal
    assert kept() == {a.pk: Decimal("700.25")}

    first.community = b  # moved: taken from one community, given to the other
    first.save()
    assert kept() == {b.pk: Decimal("700.25")}
    Centre.objects.bulk_create([Centre(**{**_fields(second), "code": "B-3", "status": "operating", "community": b})])
    assert kept() == {b.pk: Decimal("1000.25")}

    first.delete()
    assert kept() == {b.pk: Decimal("300.00")}
    assert areas.check() == []


def _fields(centre):
    return {field.name: getattr(centre, field.name) for field in Centre._meta.concrete_fields
            if field.name not in ("id", "code", "community", "status", "search_text")}


def test_a_communitys_city_and_households_follow_its_division(city):
    """Its ratio too: fewer households, a larger area per 100 — saved or updated in bulk."""
    community = city["community_a"]
    CentreFactory(community=community, code="A-1", total_area=Decimal("600"))

    def row():
        return CommunityArea.objects.values_list("city", "households", "ratio").get(community=community)

    assert row() == (community.city_id, 1000, 60.0)
    community.households = 500
    community.save()
    assert row() == (community.city_id, 500, 120.0)
    Division.objects.filter(pk=community.pk).update(households=250)  # QuerySet.update: no signal
    assert row() == (community.city_id, 250, 240.0)
    province = DivisionFactory(code="230000000000", name="黑龙江省", kind=Kind.PROVINCE)
    jixi = DivisionFactory(code="230300000000", name="鸡西市", kind=Kind.CITY, parent=province)
    district = Division.objects.get(pk=city["district"].pk)
    district.parent = jixi
    district.save()  # its descendants' city follows (Division.descendants_follow), and the kept row with them
    assert row()[0] == jixi.pk
    assert areas.check() == []


def test_verify_figures_names_a_community_whose_kept_area_differs(city):
    centre = CentreFactory(community=city["community_a"], code="A-1")
    CommunityArea.objects.filter(community=centre.community).update(area=Decimal("1"))
    assert areas.check()[0].startswith(f"社区 {centre.community_id}: 保存 1.00，重算 600")
    CommunityArea.objects.filter(community=centre.community).update(area=Decimal("600"), households=7)
    assert areas.check() == [f"社区 {centre.community_id}: 保存 None/7/60.0，区划 None/1000/60.0"]


@pytest.mark.parametrize("size", [1, 2, 5, 8, 13])
def test_the_median_from_the_kept_rows_is_the_median_of_every_communitys_figure(city, size):
    """Odd and even counts, ties, and ratios a float cannot tell apart (1/3 of 300 and of 3,000,000,003 ÷
    10,000,000,010): the exact median of what ``values(city=…)`` gives."""
    rng = random.Random(size)
    street = city["street_a"]
    for number in range(size):
        households = rng.choice([100, 300, 1000, 999, 10])
        community = DivisionFactory(code=f"2303020019{number:02d}", name=f"测{number}社区", kind=Kind.COMMUNITY,
                                    parent=street, households=households, population=households * 2,
                                    population_60plus=households // 2)
        for serial in range(rng.choice([1, 2])):
            CentreFactory(community=community, code=f"M-{number}-{serial}", activity_area=Decimal("1"),
                          total_area=Decimal(rng.choice(["100", "300", "33.33", "99.99", "1000"])))
    rule = rules.RULES["centre_area_outlier"]
    figures = list(rule.values(city=street.city_id).values())
    assert areas.count_and_median(street.city_id) == (len(figures), median(figures))


def test_a_city_without_centres_has_no_median(city):
    assert areas.count_and_median(city["street_a"].city_id) == (0, None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of two real connections: PostgreSQL")
def test_two_writers_of_one_community_lose_neither_area(city):
    """Two centres of one community changed at once by two connections: the second waits on the community's row
    and recounts after the first committed (a recount in the second's own snapshot would keep 600 + 800)."""
    import psycopg

    community = city["community_a"]
    first = CentreFactory(community=community, code="A-1")
    second = CentreFactory(community=community, code="A-2")
    settings = connection.settings_dict
    dsn = {"dbname": settings["NAME"], "user": settings["USER"], "host": settings["HOST"] or None,
           "port": settings["PORT"] or None, "password": settings["PASSWORD"] or None}
    with psycopg.connect(**dsn) as one, psycopg.connect(**dsn) as two:
        one.execute("UPDATE facilities_centre SET total_area = 700 WHERE id = %s", [first.pk])
        done = threading.Event()

        def write():
            two.execute("UPDATE facilities_centre SET total_area = 800 WHERE id = %s", [second.pk])
            done.set()

        thread = threading.Thread(target=write)
        thread.start()
        assert not done.wait(0.5)  # waiting on the community's row
        one.commit()
        thread.join(10)
        assert done.is_set()
        two.commit()
    assert kept() == {community.pk: Decimal("1500.00")}
    assert areas.check() == []
    Division.objects.filter(pk=community.pk).update(households=community.households)  # untouched by the triggers
    assert kept() == {community.pk: Decimal("1500.00")}
