"""The benchmark server's URLs: the site's, and one page for reading only.

``/bench/layout/`` renders the site's layout (``base.html``: navigation, language switch, footer) with no query
and no content of its own: the most any public page built on the layout can reach against the bare view. It is
served by the benchmark's settings only, never by the site.
"""

from django.urls import path
from django.views.generic import TemplateView

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/layout/", TemplateView.as_view(template_name="base.html"), name="bench_layout"),
    *site_urlpatterns,
]
