from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志愿服务与社工")

    def ready(self):
        from core.caching import watch, watch_scoped
        from volunteers.models import ServiceField, ServiceRecord, Team

        # Team pages show the hours served: a service record retires its team's page and lists.
        watch(ServiceField)
        watch_scoped(Team, group="volunteers", division="community")
        watch_scoped(ServiceRecord, group="volunteers", record="team", division="team__community")

    def workspace_links(self, user):
        from core import permissions

        if not permissions.is_staff(user):
            return []
        return [
            {
                "title": _("登记到期与继续教育提醒"),
                "url": reverse("volunteers:deadlines"),
                "description": _("90 天内到期或已过期的社工登记，以及继续教育学时不足的人员"),
            },
            {
                "title": _("志愿服务队"),
                "url": reverse("admin:volunteers_team_changelist"),
                "description": _("队伍、队员和服务记录；每月服务时长"),
            },
            {
                "title": _("社区工作者与社会工作者"),
                "url": reverse("admin:volunteers_worker_changelist"),
                "description": _("人员、工作单位、职业资格证书和登记有效期"),
            },
            {
                "title": _("志愿服务记录"),
                "url": reverse("admin:volunteers_servicerecord_changelist"),
                "description": _("按日期录入服务时长和活动内容"),
            },
        ]
