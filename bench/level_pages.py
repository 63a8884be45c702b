"""Compliance pages at every level (street page, drill-downs, and the province, city and district boards when the
schema has cities), timed without writing like ``bench.admin_forms``.

    DJANGO_SETTINGS_MODULE=config.test_settings DATABASE_URL=postgresql://…/DB RUNS=5 python -m bench.level_pages
"""
# ruff: noqa: E402 - a script: Django is set up before the models are imported
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
django.setup()
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from compliance import views
from core.models import Division, Role, User

user = User(username="t-admin", role=Role.ADMIN, is_superuser=True, is_staff=True, is_active=True)
user.pk = 10**9
street = Division.objects.filter(level="street").order_by("code")[3000]
district = Division.objects.filter(level="district").order_by("code")[200]
has_city = any(f.name == "city" for f in Division._meta.get_fields())
pages = [
    ("street page", views.street, (street.code,), {}),
    ("drill F1 district", views.drill, ("F1", district.code), {}),
    ("drill F3 street", views.drill, ("F3", street.code), {}),
    ("drill E5 district", views.drill, ("E5", district.code), {}),
]
if has_city:
    city = Division.objects.filter(level="city").order_by("code").first()
    pages += [("board: province (cities)", views.matrix, (), {}),
              ("board: city (districts)", views.matrix, (), {"division": city.code}),
              ("board: district (streets)", views.matrix, (), {"division": district.code})]
runs = int(os.environ.get("RUNS", "5"))
factory = RequestFactory()
for name, view, args, params in pages:
    times = []
    for run in range(runs + 1):
        request = factory.get("/compliance/", {"month": "2025-06", **params})
        request.user = user
        request.session = {}
        request._messages = FallbackStorage(request)
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = view(request, *args)
            if hasattr(response, "render"):
                response.render()
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        if run:
            times.append(elapsed)
    print(f"{name:28s} median {statistics.median(times)*1000:7.1f} ms  min {min(times)*1000:7.1f} ms  "
          f"{len(queries.captured_queries):3d} queries  {len(response.content)/1024:6.0f} kB  ({response.status_code})", flush=True)
