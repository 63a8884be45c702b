"""The public site for search engines: home, the three lists, and every public detail page.

Only what an anonymous resident may see: operating centres and eldercare facilities, every volunteer team.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from eldercare.models import Facility
from facilities.models import Centre
from volunteers.models import Team


class PublicPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "facilities:list", "eldercare:list", "volunteers:list"]

    def location(self, item):
        return reverse(item)


class CentreSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Centre.objects.operating().only("pk", "updated_at").order_by("code")

    def location(self, item):
        return reverse("facilities:detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class FacilitySitemap(CentreSitemap):
    def items(self):
        return Facility.objects.operating().only("pk", "updated_at").order_by("code")

    def location(self, item):
        return reverse("eldercare:detail", args=[item.pk])


class TeamSitemap(CentreSitemap):
    def items(self):
        return Team.objects.only("pk", "updated_at").order_by("code")

    def location(self, item):
        return reverse("volunteers:detail", args=[item.pk])


SITEMAPS = {
    "pages": PublicPagesSitemap,
    "centres": CentreSitemap,
    "eldercare": FacilitySitemap,
    "volunteers": TeamSitemap,
}
