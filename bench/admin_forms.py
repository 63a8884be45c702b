"""A bureau administrator's change forms (GET), timed without writing: ``RequestFactory``, an unsaved
administrator, every request inside a transaction that is rolled back.

    DJANGO_SETTINGS_MODULE=config.test_settings DATABASE_URL=postgresql://…/portal_bench_40x RUNS=5 \
        python -m bench.admin_forms
"""
# ruff: noqa: E402 - a script: Django is set up before the models are imported
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
os.environ.setdefault("SECRET_KEY", "x" * 50)
import django

django.setup()
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from core.models import Role, User

user = User(username="t-admin", role=Role.ADMIN, is_superuser=True, is_staff=True, is_active=True)
user.pk = User.objects.filter(is_superuser=True).values_list("pk", flat=True).first() or 10**9
factory = RequestFactory()
from eldercare.models import Facility
from facilities.models import Centre
from volunteers.models import Team, Worker

targets = [(Centre, Centre.objects.order_by("pk").values_list("pk", flat=True)[5000]),
           (Facility, Facility.objects.filter(kind="daycare").order_by("pk").values_list("pk", flat=True)[500]),
           (Team, Team.objects.order_by("pk").values_list("pk", flat=True)[500]),
           (Worker, Worker.objects.order_by("pk").values_list("pk", flat=True)[500])]
runs = int(os.environ.get("RUNS", "5"))
for model, pk in targets:
    model_admin = admin.site._registry[model]
    times = []
    for _ in range(runs):
        request = factory.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/{pk}/change/")
        request.user = user
        request.session = {}
        request._messages = FallbackStorage(request)
        from django.db import transaction
        with transaction.atomic():  # nothing is written to the shared benchmark database
            started = time.perf_counter()
            response = model_admin.change_view(request, str(pk))
            response.render()
            times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    print(f"{model.__name__:9s} change form: median {statistics.median(times)*1000:8.1f} ms  "
          f"min {min(times)*1000:8.1f} ms  {len(response.content)/1024:8.0f} kB  (status {response.status_code})", flush=True)
