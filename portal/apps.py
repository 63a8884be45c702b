from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("居民服务")

    def ready(self):
        from core import kept_figures
        from portal import figures

        kept_figures.register("街道汇总数（首页）", figures.differences)
        kept_figures.register_totals(figures.TOTALS, figures.totals)

    def workspace_links(self, user):
        from django.urls import reverse

        if not (user.is_authenticated and user.is_active):
            return []
        from core import scoping
        from portal.models import ErrorReport, Rating

        reports = scoping.scope(user, ErrorReport.objects.filter(state=ErrorReport.State.OPEN)).count()
        ratings = scoping.scope(user, Rating.objects.filter(state=Rating.State.PENDING)).count()
        return [
            {
                "title": _("居民报错待办（%(count)s 条）") % {"count": reports},
                "url": reverse("portal:reports"),
                "description": _("居民在详情页“信息有误？”提交的更正：核对、更正后标为已处理"),
            },
            {
                "title": _("好差评待审核（%(count)s 条）") % {"count": ratings},
                "url": reverse("portal:ratings"),
                "description": _("审核通过后在详情页公开显示评分和评价"),
            },
        ]
