"""The demo city's past: an audit history back to 2021-01, so that trends and the 2023 report show something.

The other apps' demos create today's records (each with one history row dated now). Here their history is
rewritten plausibly: divisions and most records exist from 2021-01; some centres and eldercare facilities
were under construction and opened later; institutions added nursing beds; teams and staff arrived over the
years and some staff got their certificate later; elders were visited nearly every month (fewer missed visits
as the years went by). Runs once: a database whose history already reaches 2021-01 is left alone. Months are
stored afterwards by ``manage.py backfill_months --missing`` (``make run``).
"""

from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.utils import timezone

from core.fields import Status
from core.history import bulk_history_dated
from core.seeding import insert_rows

START = date(2021, 1, 1)


def _at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _month_day(rng, first, last):
    """A random day between two dates (inclusive)."""
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _copy(history_model, row, **changes):
    fields = {field.attname: getattr(row, field.attname) for field in history_model._meta.concrete_fields
              if field.attname != "history_id"}
    fields.update(changes)
    return history_model(**fields)


def _rewrite(label, rng, plan, today):
    """For each record's creation row: ``plan(row)`` → ``(created on, {earlier values}, changed on or None)``.

    The creation row is dated ``created on`` with the earlier values; a change row with today's values follows
    on ``changed on``.
    """
    history = apps.get_model(label).history.model
    new_rows, count = [], 0
    for row in history.objects.filter(history_type="+"):
        created_on, earlier, changed_on = plan(row)
        if changed_on is not None and earlier:
            new_rows.append(_copy(history, row, history_type="~", history_date=_at(changed_on, 10)))
            for name, value in earlier.items():
                setattr(row, name, value)
        row.history_date = _at(min(created_on, today))
        row.save()
        count += 1
    history.objects.bulk_create(new_rows)
    return count, len(new_rows)


#: The province's own plan in the demo: the targets the provincial plan (000, and the national plan it quotes) sets.
PROVINCIAL_PLAN = "省级规划（000 所列目标，演示）"
PROVINCIAL_CODES = ("F1", "F2", "F4", "F5", "V1", "S1", "S2")


def seed_plans(stdout):
    """Jixi is judged by Jixi's plan (the default plan, 001 with 000), the rest of the province by the provincial one."""
    Division = apps.get_model("core.Division")
    Plan = apps.get_model("compliance.Plan")
    province = Division.objects.filter(code="230000000000").first()
    jixi = Division.objects.filter(code="230300000000").first()
    default = Plan.objects.filter(in_force=True).first()
    if province is None or jixi is None or default is None:
        return
    if default.division_id is None and not Plan.objects.filter(division=jixi).exists():
        default.division = jixi
        default.save(update_fields=["division"])
    provincial, created = Plan.objects.get_or_create(
        name=PROVINCIAL_PLAN, defaults={
            "division": province,
            "description": "演示：吉林省规划（000）及其转引的国家规划所设的目标；其余指标本级不设目标。",
        },
    )
    if created:
        for target in default.targets.filter(indicator__in=PROVINCIAL_CODES):
            target.pk = None
            target.plan = provincial
            target.save()
    stdout.write(f"规划：{jixi.name}按“{default.name}”，其余按“{provincial.name}”")


def seed(stdout, rng):
    seed_plans(stdout)
    division_history = apps.get_model("core.Division").history.model
    if division_history.objects.filter(history_date__lt=_at(date(2021, 2, 1))).exists():
        stdout.write("历史记录：已有 2021 年起的历史，跳过。")
        return
    today = timezone.localdate()
    this_month = today.replace(day=1)
    late = date(2025, 9, 30)

    def always(row):
        return START, {}, None

    def building(row):
        # Six in ten operating centres opened during the plan; the others were there in 2021.
        if row.status == Status.OPERATING and rng.random() < 0.6:
            return START, {"status": Status.CONSTRUCTION}, _month_day(rng, date(2021, 3, 1), late)
        return START, {}, None

    def facility(row):
        if row.kind == "institution" and row.nursing_beds:
            return START, {"nursing_beds": row.nursing_beds * 6 // 10}, _month_day(rng, date(2021, 6, 1), late)
        return building(row)

    def arriving(row):
        return (START if rng.random() < 0.6 else _month_day(rng, START, late)), {}, None

    def worker(row):
        created = START if rng.random() < 0.5 else _month_day(rng, START, date(2024, 12, 31))
        if row.level != "none" and rng.random() < 0.5:
            return created, {"level": "none", "certificate_number": None}, _month_day(rng, created, late)
        return created, {}, None

    done = {
        "core.Division": _rewrite("core.Division", rng, always, today),
        "facilities.Centre": _rewrite("facilities.Centre", rng, building, today),
        "eldercare.Facility": _rewrite("eldercare.Facility", rng, facility, today),
        "volunteers.Team": _rewrite("volunteers.Team", rng, arriving, today),
        "volunteers.Worker": _rewrite("volunteers.Worker", rng, worker, today),
        "eldercare.Elder": _rewrite("eldercare.Elder", rng, always, today),
    }
    visits = _visits(rng, this_month, today)
    stdout.write(
        f"历史记录：自 2021-01 起，设施 {done['facilities.Centre'][1]} 处、养老设施 {done['eldercare.Facility'][1]} 处"
        f"在规划期内建成或扩建，人员 {done['volunteers.Worker'][1]} 人后来取得证书，补充探访记录 {visits} 条"
    )


def _visits(rng, this_month, today):
    """Visits every month from 2021-01 to the month before last (the eldercare demo has the last two)."""
    from eldercare.models import Elder, Visit

    history = Visit.history.model
    # The demo's own visits were entered on the day of the visit.
    for row in history.objects.filter(history_type="+").select_related(None):
        row.history_date = min(_at(row.visited_on, 18), timezone.now())
        row.save(update_fields=["history_date"])
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    months, month = [], START
    while month < last_month:
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    visitors = ["社区网格员", "志愿者", "社工", "居委会主任"]
    rows = []
    for elder in Elder.objects.order_by("code"):
        for month in months:
            # Missed visits grow rarer: one in eight in 2021, one in forty by 2025.
            if rng.random() < 0.125 - 0.025 * (month.year - 2021):
                continue
            day = month + timedelta(days=rng.randint(0, 27))
            method = Visit.Method.IN_PERSON if rng.random() < 0.7 else Visit.Method.PHONE
            rows.append(Visit(elder=elder, visited_on=day, visitor=rng.choice(visitors), method=method))
    pks = insert_rows(Visit, rows)
    # Each visit's creation row, dated on the day of the visit, copied from the row by the database.
    bulk_history_dated(Visit, [(pk, _at(visit.visited_on, 18)) for pk, visit in zip(pks, rows, strict=True)],
                       history_type="+", reason=None)
    return len(pks)
