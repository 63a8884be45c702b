from django.urls import path

from compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("export.xlsx", views.export_xlsx, name="xlsx"),
    path("indicator/<str:code>/<str:division_code>/", views.drill, name="drill"),
    path("street/<str:code>/", views.street, name="street"),
    path("street/<str:code>/return/", views.return_street, name="return"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<int:pk>/fix/", views.correction_fix, name="correction_fix"),
    path("corrections/<int:pk>/close/", views.correction_close, name="correction_close"),
    path("snapshots/", views.snapshot_list, name="snapshots"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot"),
]
