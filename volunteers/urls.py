from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("<int:pk>/", views.team_detail, name="detail"),
    path("deadlines/", views.deadlines, name="deadlines"),
]
