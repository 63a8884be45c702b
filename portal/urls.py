from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("near/", views.near, name="near"),
    path("near/places.json", views.places, name="places"),
    path("report/<str:target>/<int:pk>/", views.report, name="report"),
    path("rate/<str:target>/<int:pk>/", views.rate, name="rate"),
    path("workspace/reports/", views.reports_todo, name="reports"),
    path("workspace/reports/<int:pk>/close/", views.close_report, name="close_report"),
    path("workspace/ratings/", views.ratings_todo, name="ratings"),
    path("workspace/ratings/<int:pk>/review/", views.review_rating, name="review_rating"),
]
