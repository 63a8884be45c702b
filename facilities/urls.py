from django.urls import path

from facilities import views

app_name = "facilities"

urlpatterns = [
    path("", views.centre_list, name="list"),
    path("<int:pk>/", views.centre_detail, name="detail"),
]
