from django.conf import settings
from django.urls import reverse

from core import permissions
from core.calendar_watch import missing_year
from core.opening import local_now


def site(request):
    """The footer's identity of the site (settings, so each deployment shows its own)."""
    return {
        "SITE_ORGANISER": settings.SITE_ORGANISER,
        "SITE_CONTACT": settings.SITE_CONTACT,
        "SITE_ICP": settings.SITE_ICP,
        "SITE_GOV_CODE": settings.SITE_GOV_CODE,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_SUBDOMAINS": settings.MAP_TILE_SUBDOMAINS,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }


def holiday_calendar(request):
    """Bureau staff see, on every page, that next year's 调休 calendar is missing (from 1 October)."""
    user = getattr(request, "user", None)
    if not permissions.can_view_all(user):
        return {}
    year = missing_year(local_now().date())
    if year is None:
        return {}
    return {"HOLIDAY_YEAR_MISSING": year,
            "HOLIDAY_ADD_URL": reverse("admin:core_holiday_add") if permissions.is_bureau_admin(user) else ""}
