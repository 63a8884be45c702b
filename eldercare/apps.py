from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EldercareConfig(AppConfig):
    name = "eldercare"
    verbose_name = _("养老服务")

    def ready(self):
        from core.caching import watch, watch_scoped
        from eldercare.models import CareService, Facility

        watch(CareService)
        watch_scoped(Facility, group="eldercare", division="division")

    def workspace_links(self, user):
        if not (user.is_authenticated and user.is_active):
            return []
        return [
            {
                "title": _("本月探访待办"),
                "url": reverse("eldercare:visits_todo"),
                "description": _("本月尚未探访的特殊困难老年人、探访率，一键登记探访"),
            },
            {
                "title": _("特殊困难老年人"),
                "url": reverse("admin:eldercare_elder_changelist"),
                "description": _("登记、修改老人信息和探访记录（列表中身份证号、电话已遮挡）"),
            },
            {
                "title": _("养老服务设施"),
                "url": reverse("admin:eldercare_facility_changelist"),
                "description": _("日间照料中心、综合养老服务中心、养老机构：服务项目、开放时间、床位"),
            },
        ]
