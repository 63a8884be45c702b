from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.home, name="home"),
    path("completeness/", views.completeness, name="completeness"),
    path("returns/<int:pk>/fix/", views.return_fix, name="return_fix"),
    path("returns/<int:pk>/close/", views.return_close, name="return_close"),
    path("<str:code>/<str:month>/", views.period_detail, name="period"),
    path("<str:code>/<str:month>/<str:action>/", views.transition, name="transition"),
]
