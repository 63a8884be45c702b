"""Province scale (issue 20), in-process on one benchmark database: every cache off, nothing written.

- the compliance board at each level (province → cities, city → districts, district → streets, street →
  communities), the street page and three drill-downs, as a bureau administrator: median ms, queries, kB;
- a bureau administrator's change form (GET) of a centre, a day-care centre, a team and a worker;
- what keeping the board's figures (``compliance.kept``) adds to a save: the same save of each record with the
  figures kept and with none kept, alternated, each inside a transaction that is rolled back.

``python -m bench scale --database-url …`` prints it as JSON; ``make bench`` runs it at 1× and at the big scale.
"""

import statistics
import time
from functools import partial

#: The records whose save is timed: (label, model label, how the record is changed).
SAVES = (
    ("centre: phone", "facilities.Centre", "phone"),
    ("day-care centre: phone", "eldercare.Facility", "phone"),
    ("day-care centre: moved 300 m", "eldercare.Facility", "move"),
    ("worker: education hours", "volunteers.Worker", "education_hours"),
)
FORMS = ("facilities.Centre", "eldercare.Facility", "volunteers.Team", "volunteers.Worker")


def _timed(runs, call):
    """``call()`` once to warm up, then ``runs`` times: (median ms, min ms, the last result)."""
    call()
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), round(min(times), 1), result


def _user(street=None):
    """A bureau administrator, or the clerk of ``street`` (whose ``/compliance/`` is the street's board)."""
    from core.models import Role, User

    if street is not None:
        user = User(username="bench-clerk", role=Role.CLERK, division=street, is_staff=True, is_active=True)
    else:
        user = User(username="bench-admin", role=Role.ADMIN, is_superuser=True, is_staff=True, is_active=True)
    user.pk = 10**9  # never saved: every request below is rolled back
    return user


def _request(path, params=None, user=None):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    request = RequestFactory().get(path, params or {})
    request.user = user or _user()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _rendered(view, path, params, *args, user=None):
    """(status, bytes, queries) of one rendered response, rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        response = view(_request(path, params, user), *args)
        if hasattr(response, "render"):
            response.render()
        transaction.set_rollback(True)
    return response.status_code, len(response.content), len(queries.captured_queries)


def _samples():
    """The divisions measured: the first city, its 3rd district, that district's 2nd street (as many rows under
    each at 1× as at 40×: the generator repeats the same district and street sizes)."""
    from core.models import Division, Level

    city = Division.objects.filter(level=Level.CITY).order_by("code").first()
    district = list(Division.objects.filter(level=Level.DISTRICT, city=city).order_by("code")[:3])[-1]
    street = list(Division.objects.filter(level=Level.STREET, district=district).order_by("code")[:2])[-1]
    return city, district, street


def measure_pages(runs):
    from compliance import views

    city, district, street = _samples()
    month = {"month": _month()}
    clerk = _user(street)
    pages = [
        ("board: whole area (cities)", views.matrix, "/compliance/", month, (), None),
        ("board: city (districts)", views.matrix, "/compliance/", {**month, "division": city.code}, (), None),
        ("board: district (streets)", views.matrix, "/compliance/", {**month, "division": district.code}, (), None),
        ("board: street (communities), its clerk's", views.matrix, "/compliance/", month, (), clerk),
        ("street page", views.street, f"/compliance/street/{street.code}/", month, (street.code,), None),
        ("drill-down F1 district", views.drill, "/compliance/indicator/", month, ("F1", district.code), None),
        ("drill-down F3 street", views.drill, "/compliance/indicator/", month, ("F3", street.code), None),
        ("drill-down E5 district", views.drill, "/compliance/indicator/", month, ("E5", district.code), None),
    ]
    results = {}
    for label, view, path, params, args, user in pages:
        median, fastest, (status, size, queries) = _timed(
            runs, partial(_rendered, view, path, params, *args, user=user))
        results[label] = {"median_ms": median, "min_ms": fastest, "queries": queries, "kB": round(size / 1024),
                          "status": status}
    return results


def _month():
    from core.dates import last_full_month

    return f"{last_full_month():%Y-%m}"


def _sample(label):
    from django.apps import apps

    model = apps.get_model(label)
    rows = model.objects.order_by("pk")
    if label == "eldercare.Facility":
        rows = rows.filter(kind="daycare", latitude__isnull=False, status="operating")
    return model, rows[rows.count() // 3]


def measure_forms(runs):
    from django.contrib import admin

    results = {}
    for label in FORMS:
        model, row = _sample(label)
        model_admin = admin.site._registry[model]
        path = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{row.pk}/change/"
        median, fastest, (status, size, _queries) = _timed(
            runs, partial(_rendered, model_admin.change_view, path, None, str(row.pk)))
        results[model._meta.model_name] = {"median_ms": median, "min_ms": fastest, "kB": round(size / 1024),
                                             "status": status}
    return results


def _change(row, how, serial):
    from decimal import Decimal

    if how == "move":
        row.latitude += 0.0027 if serial % 2 else -0.0027  # ~300 m north or south
    elif how == "phone":
        row.phone = f"0467-{2000000 + serial}"
    else:
        setattr(row, how, Decimal(serial % 50))


def _save_once(model, pk, how, serial, *, kept):
    """One save of the record, in a transaction rolled back; ms. ``kept=False``: the board's mark removed
    first (inside the same transaction), so nothing is kept — the portal before the figures were kept."""
    from django.db import transaction

    from compliance.models import KeptFigure

    with transaction.atomic():
        if not kept:
            KeptFigure.objects.filter(division__isnull=True).delete()
        row = model.objects.get(pk=pk)
        _change(row, how, serial)
        started = time.perf_counter()
        row.save()
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed


def measure_saves(runs):
    """Each save with and without kept figures, alternated (kept, none, kept, none…): medians and the difference."""
    from compliance import kept

    if kept.kept_month() is None:
        return {"error": "no kept figures: run `manage.py keep_figures` on the benchmark database"}
    results = {}
    for label, model_label, how in SAVES:
        model, row = _sample(model_label)
        timings = {True: [], False: []}
        for serial in range(runs + 1):
            for with_kept in (True, False):
                elapsed = _save_once(model, row.pk, how, serial, kept=with_kept)
                if serial:  # the first pair warms up
                    timings[with_kept].append(elapsed)
        with_figures, without = statistics.median(timings[True]), statistics.median(timings[False])
        results[label] = {"kept_ms": round(with_figures, 1), "not_kept_ms": round(without, 1),
                          "added_ms": round(with_figures - without, 1), "runs": runs}
    return results


def measure(database_url, runs, *, pages_only=False):
    import os

    from bench import django_side

    os.environ["BENCH_UNCACHED"] = "1"  # every cache off (bench.settings)
    django_side.setup(database_url)
    if pages_only:  # another round of the boards (bench.cli._interleave_boards)
        return {"pages": measure_pages(runs)}
    return {"pages": measure_pages(runs), "forms": measure_forms(runs), "saves": measure_saves(runs)}
