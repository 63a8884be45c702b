"""Admin list filters on division foreign keys offer a clerk only their own street's divisions.

Django's stock RelatedFieldListFilter offers every row of the related table (every street and community of
the city); RelatedOnlyFieldListFilter offers only the values of the clerk's own, scoped, rows.
"""

import pytest

OTHER_DIVISIONS = ("南山街道", "南山社区", "鸡东县", "东升社区", "红星乡")

CHANGELISTS = [
    "/admin/eldercare/facility/",
    "/admin/eldercare/elder/",
    "/admin/eldercare/visit/",
    "/admin/volunteers/team/",
    "/admin/volunteers/servicerecord/",
    "/admin/volunteers/worker/",
]


@pytest.mark.parametrize("url", CHANGELISTS)
def test_a_clerks_list_filters_name_no_other_division(city, alice, as_user, url):
    page = as_user(alice).get(url).content.decode()
    for name in OTHER_DIVISIONS:
        assert name not in page, f"{url} names {name}"
