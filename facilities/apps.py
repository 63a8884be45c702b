from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("社区综合服务设施")

    def ready(self):
        from core.caching import watch, watch_scoped
        from facilities.models import Centre, Service

        # The public list and detail pages: the service list appears on every centre (a change retires all);
        # a centre retires only its own page, its street's and district's lists and the city list.
        watch(Service)
        watch_scoped(Centre, group="facilities", division="community")

    def workspace_links(self, user):
        from django.conf import settings
        from django.urls import reverse

        from core import permissions

        if not permissions.is_staff(user):
            return []
        changelist = reverse("admin:facilities_centre_changelist")
        days = settings.VERIFICATION_MAX_AGE_DAYS
        links = [
            {
                "title": _("社区综合服务设施"),
                "url": changelist,
                "description": _("录入和修改本街道的服务中心：面积、开放时间、服务项目、电话"),
            },
            {
                "title": _("超过%(days)s天未核实的设施") % {"days": days},
                "url": f"{changelist}?verified=stale",
                "description": _("逐一确认数据仍然准确，或更正后保存"),
            },
            {"title": _("公开页面预览"), "url": reverse("facilities:list"), "description": _("居民看到的设施列表")},
        ]
        if permissions.is_bureau_admin(user):
            links.append(
                {
                    "title": _("服务项目清单"),
                    "url": reverse("admin:facilities_service_changelist"),
                    "description": _("维护各设施可选的服务项目"),
                }
            )
        return links
