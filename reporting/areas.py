"""The city's distribution of community centre area per 100 households, from the kept ``CommunityArea`` rows.

``reporting_communityarea`` is kept by triggers (migration 0005); this module reads it for the distribution rule
``centre_area_outlier`` and recounts it for ``verify_figures``.
"""

from decimal import Decimal
from math import isclose
from statistics import median

from django.db.models import Sum

from core.models import Level

#: Rows read on either side of the middle: the database orders by a float ratio, and two ratios a float cannot
#: tell apart are put in exact order here (a median is the middle of the exact order).
MARGIN = 2


def count_and_median(city_id):
    """``(how many, median)`` of ``area × 100 ÷ households`` over the communities of the city with households and
    an operating centre's area — the figures ``CentreAreaOutlier.values(city=…)`` gives, without reading them all:
    a count and a few rows around the middle, both on the index by city and ratio."""
    from reporting.models import CommunityArea

    rows = CommunityArea.objects.filter(ratio__isnull=False)
    if city_id is not None:  # a street in no city: the deployment's (as ``values(city=None)``)
        rows = rows.filter(city=city_id)
    count = rows.count()
    if not count:
        return 0, None
    low, high = (count - 1) // 2, count // 2  # the middle one, or the middle two
    start = max(0, low - MARGIN)
    window = sorted(Decimal(area) * 100 / households for area, households in
                    rows.order_by("ratio", "community_id")[start:high + MARGIN + 1].values_list("area", "households"))
    return count, median(window[low - start:high - start + 1])


def check():
    """``verify_figures``: every community's kept area against a recount of its operating centres, and its city,
    households and ratio against its division."""
    from core.models import Division
    from facilities.models import Centre
    from reporting.models import CommunityArea

    kept = {pk: area for pk, area in CommunityArea.objects.values_list("community", "area") if area}
    fresh = {pk: area for pk, area in (Centre.objects.filter(status="operating").order_by().values("community")
                                       .annotate(area=Sum("total_area")).values_list("community", "area")) if area}
    found = [f"社区 {pk}: 保存 {kept.get(pk)}，重算 {fresh.get(pk)}"
             for pk in sorted(kept.keys() | fresh.keys()) if kept.get(pk) != fresh.get(pk)]
    places = {pk: (city, households, level) for pk, city, households, level in Division.objects.filter(
        pk__in=CommunityArea.objects.values("community")).values_list("pk", "city", "households", "level")}
    for pk, area, city, households, ratio in CommunityArea.objects.values_list(
            "community", "area", "city", "households", "ratio"):
        city_now, households_now, level = places[pk]
        expected = (float(area) * 100 / households_now
                    if level == Level.COMMUNITY and households_now and area > 0 else None)
        if (city, households) != (city_now, households_now) or (ratio is None) != (expected is None) or (
                ratio is not None and not isclose(ratio, expected, rel_tol=1e-12)):
            found.append(f"社区 {pk}: 保存 {city}/{households}/{ratio}，区划 {city_now}/{households_now}/{expected}")
    return found
