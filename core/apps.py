from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("区划与账号")

    def ready(self):
        from core.caching import watch
        from core.models import Division, Holiday
        from eldercare.models import CareService, Facility
        from facilities.models import Centre, Service
        from volunteers.models import ServiceField, ServiceRecord, Team

        # Everything the anonymous pages show: headline counts, the three public listings and
        # their details (hours follow the holiday calendar; team pages show hours served).
        watch(Division, Holiday, Centre, Service, Facility, CareService, Team, ServiceField, ServiceRecord)
