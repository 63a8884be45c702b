"""Demo centres for 鸡西市: most communities have one, some none, a few deliberately non-compliant."""

from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command

from core.fields import Status
from core.models import Division, Kind, Level
from core.opening import local_now
from core.seeding import Upsert
from facilities.models import Centre, Service

SERVICES = ["党建活动", "文体活动", "政务服务", "养老服务", "儿童托管", "法律咨询", "心理咨询", "就业指导"]
FULL_DAY = "08:00-12:00,13:00-17:00"  # exactly 8 h: passes F5 at its boundary
SHORT_DAY = "08:30-11:30,13:30-17:30"  # 7 h

# Communities without a centre (F1/F2 gaps).
WITHOUT_CENTRE = {"230302001004", "230302003003", "230303002002", "230302200203", "230321101202"}
# What is wrong on purpose, by community code.
SMALL_ACTIVITY_SHARE = "230302001002"  # 红旗社区: 52 % resident-activity share (F4)
SHORT_HOURS = "230302001003"  # 和平社区: 7 h on weekdays, closed at weekends and holidays (F5)
NO_VOLUNTEER_STATION = "230302002001"  # 南山社区 (F6)
UNDER_CONSTRUCTION = "230302003002"  # 电台社区: counts nowhere
NOT_VERIFIED = "230303001001"  # 桦木社区: last verified over a year ago


def seed(stdout, rng):
    today = local_now().date()
    call_command("load_holidays", years=[today.year - 1, today.year, today.year + 1], stdout=stdout)

    services = []
    for ordering, name in enumerate(SERVICES, start=1):
        service, _ = Service.objects.update_or_create(name=name, defaults={"ordering": ordering})
        services.append(service)

    created = 0
    upsert = Upsert(Centre)
    communities = Division.objects.filter(level=Level.COMMUNITY).exclude(code__in=WITHOUT_CENTRE).order_by("code")
    for community in communities:
        village = community.kind == Kind.VILLAGE
        total = Decimal(rng.randint(220, 420) if village else rng.randint(520, 980))
        share = Decimal("0.52") if community.code == SMALL_ACTIVITY_SHARE else Decimal(rng.randint(62, 80)) / 100
        weekday, weekend = (SHORT_DAY, "") if community.code == SHORT_HOURS else (FULL_DAY, FULL_DAY)
        verified = today - timedelta(days=400 if community.code == NOT_VERIFIED else rng.randint(3, 120))
        defaults = {
            "name": f"{community.name.removesuffix('村委会')}{'村级综合服务站' if village else '党群服务中心'}",
            "community": community,
            "address": f"{community.parent.name}{community.name.removesuffix('村委会')}{rng.randint(1, 199)}号",
            "total_area": total,
            "activity_area": (total * share).quantize(Decimal("1")),
            "hours_mon": weekday, "hours_tue": weekday, "hours_wed": weekday, "hours_thu": weekday,
            "hours_fri": weekday, "hours_sat": weekend, "hours_sun": weekend,
            "open_on_holidays": community.code != SHORT_HOURS,
            "has_volunteer_station": community.code != NO_VOLUNTEER_STATION,
            "has_social_work_point": not village,
            "has_self_service_terminal": rng.random() < 0.6,
            "phone": f"0467-{rng.randint(2000000, 8999999)}",
            "status": Status.CONSTRUCTION if community.code == UNDER_CONSTRUCTION else Status.OPERATING,
            "latitude": round(community.latitude + 0.0007, 6) if community.latitude is not None else None,
            "longitude": round(community.longitude - 0.0009, 6) if community.longitude is not None else None,
            "verified_on": verified,
        }
        centre, was_created = upsert(code=f"SQZX{community.code}", defaults=defaults)
        created += was_created
        centre.services.set(rng.sample(services, rng.randint(3, 6)) if not village else services[:3])
    stdout.write(f"社区综合服务设施：新建 {created} 个，共 {Centre.objects.count()} 个；服务项目 {len(services)} 项")
