"""The portal's URLs plus one view that fails, to see the 500 page (tests only)."""

from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns


def fail(request):
    raise RuntimeError("数据库连接中断")


urlpatterns = [path("test-500/", fail), *portal_urlpatterns]
