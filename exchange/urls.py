from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("annotated/<str:token>/", views.annotated, name="annotated"),
    path("export/", views.export, name="export"),
    path("template/", views.template, name="template"),
    path("jobs/<uuid:job_id>/", views.job, name="job"),
]
