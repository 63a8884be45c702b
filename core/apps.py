from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("区划与账号")

    def ready(self):
        from core.caching import watch, watch_scoped
        from core.models import Division, Holiday
        from eldercare.models import CareService, Facility
        from facilities.models import Centre, Service
        from volunteers.models import ServiceField, ServiceRecord, Team

        # Everything the anonymous pages show: headline counts, the three public listings and
        # their details (hours follow the holiday calendar; team pages show hours served).
        # Names, the calendar and the lookup lists appear on every page: a change retires them all.
        watch(Division, Holiday, Service, CareService, ServiceField)
        # A record retires only its own page, its street's and district's lists and its app's city lists.
        watch_scoped(Centre, group="facilities", division="community")
        watch_scoped(Facility, group="eldercare", division="division")
        watch_scoped(Team, group="volunteers", division="community")
        watch_scoped(ServiceRecord, group="volunteers", record="team", division="team__community")
