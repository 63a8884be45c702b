from django.conf import settings


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
