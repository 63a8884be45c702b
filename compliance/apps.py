from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("达标审查")

    def ready(self):
        from compliance import kept

        kept.connect()

    def admin_panels(self, request, obj):
        """The clerk's hint on a centre's admin page: its standing against F3–F6, from the engine itself."""
        from django.template.loader import render_to_string

        from compliance.standing import centre_standing
        from facilities.models import Centre

        if not isinstance(obj, Centre):
            return []
        return [render_to_string("compliance/centre_standing.html", {"standing": centre_standing(obj)})]

    def workspace_links(self, user):
        from django.urls import reverse

        from compliance.selectors import corrections_for
        from core import permissions

        links = [{"title": _("达标情况"), "url": reverse("compliance:matrix"),
                  "description": _("对照“十四五”规划目标查看各项指标")}]
        # The free-text returns made before the reporting cycle: read-only, listed while there are any.
        if corrections_for(user).exists():
            links.append({"title": _("以前的退回修改（只读）"), "url": reverse("compliance:corrections"),
                          "description": _("月度报送之前的文字退回；新的退回在月度报送中")})
        if permissions.can_view_all(user):
            links.append({"title": _("快照"), "url": reverse("compliance:snapshots"),
                          "description": _("冻结当前数据，用于中期、终期评估")})
        return links
