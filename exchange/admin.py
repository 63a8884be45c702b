from django.contrib import admin
from django_tasks_db.models import DBTaskResult

# Background imports are followed on their own, per-user pages (exchange.views.job). The stock admin of
# django-tasks-db is not scoped (every task's arguments to every bureau account), so it is not offered.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
