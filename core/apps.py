from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("区划与账号")

    def ready(self):
        from core import search_text
        from core.caching import watch
        from core.models import Division, Holiday

        # Division names and the holiday calendar appear on every public page: a change retires them all.
        # Each domain app registers its own public models in its AppConfig.ready (core.caching.watch*).
        watch(Division, Holiday)
        # The residents' one search reads a kept text on each searchable record: kept on every change.
        search_text.connect()
