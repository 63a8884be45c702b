from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("数据报送")

    def workspace_links(self, user):
        from core.permissions import may_export, may_import

        links = []
        if may_import(user):
            links.append({"title": _("导入工作簿"), "url": reverse("exchange:upload"),
                          "description": _("上传数据报送工作簿：先预览，确认后全部写入")})
        if may_export(user):
            links.append({"title": _("导出工作簿"), "url": reverse("exchange:export"),
                          "description": _("按报送模板导出本人可见的全部数据，修改后可再导入")})
        links.append({"title": _("下载空白模板"), "url": reverse("exchange:template"),
                      "description": _("含填写说明和下拉选项")})
        return links
