from django.urls import path

from compliance import views, views_timeline

app_name = "compliance"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("export.xlsx", views.export_xlsx, name="xlsx"),
    path("indicator/<str:code>/<str:division_code>/", views.drill, name="drill"),
    path("street/<str:code>/", views.street, name="street"),
    path("corrections/", views.corrections, name="corrections"),
    path("snapshots/", views.snapshot_list, name="snapshots"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot"),
    path("compare/", views_timeline.compare, name="compare"),
    path("trend/<str:code>/", views_timeline.trend, name="trend"),
    path("months/", views_timeline.months_page, name="months"),
    path("reports/", views_timeline.report_page, name="reports"),
    path("reports/start/", views_timeline.report_start, name="report_start"),
    path("jobs/<int:pk>/", views_timeline.job_detail, name="job"),
    path("jobs/<int:pk>/download/", views_timeline.job_download, name="job_download"),
]
