from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.about_page, name="about"),
    path("api/hsds/", views.about, name="root"),
    path("api/hsds/services", views.services, name="services"),
    path("api/hsds/services/<str:pk>", views.service, name="service"),
    path("api/hsds/service_at_locations", views.service_at_locations, name="service_at_locations"),
    path("api/hsds/service_at_locations/<str:pk>", views.service_at_location, name="service_at_location"),
    path("api/hsds/organizations", views.organizations, name="organizations"),
    path("api/hsds/organizations/<str:pk>", views.organization, name="organization"),
    path("api/hsds/taxonomies", views.taxonomies, name="taxonomies"),
    path("api/hsds/taxonomies/<str:pk>", views.taxonomy_detail, name="taxonomy"),
    path("api/hsds/taxonomy_terms", views.taxonomy_terms, name="taxonomy_terms"),
    path("api/hsds/taxonomy_terms/<str:pk>", views.taxonomy_term, name="taxonomy_term"),
    path("api/hsds/datapackage.zip", views.datapackage_zip, name="datapackage"),
]
