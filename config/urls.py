from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from core import views as core_views
from portal import views_home
from portal.sitemaps import SITEMAPS

urlpatterns = [
    path("", views_home.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    path("workspace/", views_home.workspace, name="workspace"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("facilities/", include("facilities.urls")),
    path("eldercare/", include("eldercare.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("compliance/", include("compliance.urls")),
    path("exchange/", include("exchange.urls")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
    path("", include("opendata.urls")),
    path("", include("portal.urls")),
]
