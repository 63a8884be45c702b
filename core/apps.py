from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("区划与账号")

    def ready(self):
        from core.caching import watch
        from core.models import Division
        from eldercare.models import Facility
        from facilities.models import Centre
        from volunteers.models import Team

        # What the home page's headline counts read (core.selectors.headline_counts).
        watch(Division, Centre, Facility, Team)
