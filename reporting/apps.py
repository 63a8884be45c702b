from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("月度报送")

    def ready(self):
        from compliance import extensions
        from core import kept_figures, record_checks
        from reporting import areas, hooks, rules

        kept_figures.register("社区设施面积汇总（数据校验）", areas.check)
        record_checks.register(rules.record_issues)
        record_checks.register_notice(hooks.return_notices)
        rules.connect()
        if hooks.official_figures not in extensions.OFFICIAL_FIGURES:
            extensions.OFFICIAL_FIGURES.append(hooks.official_figures)
            extensions.MATRIX_ROWS.append(hooks.matrix_rows)
            extensions.STREET_QUALITY.append(hooks.street_quality)
            extensions.STREET_RETURNS.append(hooks.street_returns)

    def workspace_links(self, user):
        from django.urls import reverse

        if not (user.is_authenticated and user.is_active):
            return []
        links = [{"title": _("月度报送"), "url": reverse("reporting:home"),
                  "description": _("提交、审核、退回和确认每月数据")}]
        if not user.is_clerk:
            links.append({"title": _("上报率、及时率"), "url": reverse("reporting:completeness"),
                          "description": _("各街道、区县按月的报送情况")})
        return links

    def workspace_todos(self, user):
        from reporting.todos import todos_for

        return todos_for(user)
