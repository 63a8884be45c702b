from django.urls import path

from eldercare import views

app_name = "eldercare"

urlpatterns = [
    path("", views.facility_list, name="list"),
    path("<int:pk>/", views.facility_detail, name="detail"),
    path("nearest/", views.nearest, name="nearest"),
    path("visits/", views.visits_todo, name="visits_todo"),
    path("visits/<int:pk>/record/", views.record_visit, name="record_visit"),
    path("visits/<int:pk>/phone/", views.reveal_phone, name="reveal_phone"),
]
