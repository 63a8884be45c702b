"""Demo eldercare data for 鸡西市: facilities of the three kinds, special-difficulty elderly, visits.

Deliberate gaps, so that the compliance pages have something to show: 南山街道's centre lacks
对下指导, 永安镇 has no street centre, 恒山区 has no public institution, one community per
street has no day-care centre, and some elderly are not yet visited this month.
Idempotent: ``update_or_create`` on the codes; visits on their identity.
"""

from datetime import date, timedelta

from core.models import Division, Kind, Level
from core.opening import local_now
from core.seeding import Upsert
from eldercare.models import CareService, Elder, ElderCategory, Facility, FacilityKind, Ownership, Visit, id_check_digit

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ["秀英", "桂兰", "玉珍", "淑芬", "凤芝", "国华", "建国", "德明", "永福", "文清", "长海", "宝山", "淑珍", "振华"]
VISITORS = ["网格员刘洋", "网格员孙丽", "社工赵敏", "社工周强", "志愿者陈静"]
WEEKDAY = "08:00-11:30,13:30-17:00"
LACKING_FUNCTION = {"230302002000": "guidance"}  # 南山街道
NO_STREET_CENTRE = {"230321101000"}  # 永安镇
NO_PUBLIC_INSTITUTION = {"230303000000"}  # 恒山区


def _phone(rng):
    return f"0467-{rng.randint(2000000, 8999999)}"


def _mobile(rng):
    return f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"


def _id_number(rng, region):
    born = date(rng.randint(1928, 1962), rng.randint(1, 12), rng.randint(1, 28))
    first17 = f"{region}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_check_digit(first17)


def _near(division, rng, spread=0.006):
    if division is None or not division.has_location:
        return None, None
    return (
        round(division.latitude + rng.uniform(-spread, spread), 6),
        round(division.longitude + rng.uniform(-spread, spread), 6),
    )


def _facility(upsert, code, rng, services, **fields):
    facility, created = upsert(code=code, defaults=fields)
    facility.services.set(rng.sample(services, rng.randint(3, 7)))
    return created


def _centre_hours(open_on_holidays=True):
    return {
        "hours_mon": "08:00-17:30", "hours_tue": "08:00-17:30", "hours_wed": "08:00-17:30",
        "hours_thu": "08:00-17:30", "hours_fri": "08:00-17:30", "hours_sat": "09:00-16:00",
        "hours_sun": "09:00-16:00", "open_on_holidays": open_on_holidays,
    }


def _daycare_hours(rng):
    sunday = "" if rng.random() < 0.5 else "08:30-11:30"
    return {
        "hours_mon": WEEKDAY, "hours_tue": WEEKDAY, "hours_wed": WEEKDAY, "hours_thu": WEEKDAY, "hours_fri": WEEKDAY,
        "hours_sat": "08:30-11:30", "hours_sun": sunday, "open_on_holidays": rng.random() < 0.4,
    }


ROUND_THE_CLOCK = {
    **{f"hours_{day}": "00:00-23:59" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    "open_on_holidays": True,
}


def seed_facilities(rng):
    services = list(CareService.objects.all())
    upsert = Upsert(Facility)
    created = 0
    streets = list(Division.objects.streets().select_related("district").order_by("code"))
    communities = list(Division.objects.communities().order_by("code"))
    by_street = {}
    for community in communities:
        by_street.setdefault(community.street_id, []).append(community)

    for street in streets:
        members = by_street.get(street.pk, [])
        if street.code not in NO_STREET_CENTRE:
            created += _seed_street_centre(upsert, rng, services, street, members)
        if street.kind == Kind.STREET:
            created += _seed_daycares(upsert, rng, services, street, members)

    for district in Division.objects.districts().order_by("code"):
        district_streets = [s for s in streets if s.district_id == district.pk]
        if district_streets:
            created += _seed_institutions(upsert, rng, services, district, district_streets[0], by_street)
    return created


def _seed_street_centre(upsert, rng, services, street, members):
    anchor = next((c for c in members if c.has_location), None)
    functions = {"full_care": True, "day_care": True, "home_visits": True, "guidance": True}
    if street.code in LACKING_FUNCTION:
        functions[LACKING_FUNCTION[street.code]] = False
    lat, lon = _near(anchor, rng, 0.003)
    return _facility(
        upsert, f"YL-J-{street.code[:9]}", rng, services,
        name=f"{street.name}综合养老服务中心", kind=FacilityKind.STREET_CENTRE, division=street,
        address=f"{street.district.name}{street.name}政府路{rng.randint(1, 99)}号", phone=_phone(rng),
        latitude=lat, longitude=lon, status="operating", beds=rng.choice([0, 20, 30]), nursing_beds=0,
        **functions, **_centre_hours(),
    )


def _seed_daycares(upsert, rng, services, street, members):
    created = 0
    for number, community in enumerate(members, start=1):
        if number == 2:  # one community per street without a day-care centre (E4 gap)
            continue
        lat, lon = _near(community, rng)
        created += _facility(
            upsert, f"YL-R-{community.code}", rng, services,
            name=f"{community.name}日间照料中心", kind=FacilityKind.DAYCARE, division=community,
            address=f"{street.name}{community.name}{rng.randint(1, 60)}号楼", phone=_phone(rng),
            latitude=lat, longitude=lon, status="operating" if number != 3 else "construction",
            **_daycare_hours(rng),
        )
    return created


def _institution_name(district, home, suffix, ownership):
    if home.kind == Kind.TOWN and ownership == Ownership.PUBLIC:
        return f"{home.name}敬老院"
    if suffix == "M2":
        return f"{district.name}颐和老年公寓"
    return f"{district.name}{'社会福利院' if ownership == Ownership.PUBLIC else '康乐养老院'}"


def _seed_institutions(upsert, rng, services, district, home, by_street):
    """Two institutions in the district's first street: a public and a private one (or two private ones)."""
    anchor = next((c for c in by_street.get(home.pk, []) if c.has_location), None)
    plans = [("P", Ownership.PUBLIC), ("M", Ownership.PRIVATE)]
    if district.code in NO_PUBLIC_INSTITUTION:
        plans = [("M", Ownership.PRIVATE), ("M2", Ownership.PRIVATE)]
    created = 0
    for suffix, ownership in plans:
        beds = rng.randint(60, 300)
        lat, lon = _near(anchor, rng, 0.01)
        created += _facility(
            upsert, f"YL-Y-{district.code[:6]}-{suffix}", rng, services,
            name=_institution_name(district, home, suffix, ownership), kind=FacilityKind.INSTITUTION,
            division=home, ownership=ownership,
            address=f"{district.name}{home.name}康宁路{rng.randint(1, 200)}号", phone=_phone(rng),
            latitude=lat, longitude=lon, status="operating",
            beds=beds, nursing_beds=int(beds * rng.uniform(0.35, 0.75)), **ROUND_THE_CLOCK,
        )
    return created


def seed_elders(rng):
    today = local_now().date()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    created_elders = created_visits = 0
    categories = list(ElderCategory.objects.all())
    elders, visits = Upsert(Elder), Upsert(Visit)
    for community in Division.objects.filter(level=Level.COMMUNITY).order_by("code"):
        region = community.code[:6]
        for number in range(1, rng.randint(3, 6) + 1):
            elder, created = elders(
                code=f"LR{community.code}{number:02d}",
                defaults={
                    "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                    "community": community,
                    "id_number": _id_number(rng, region),
                    "phone": _mobile(rng) if rng.random() < 0.85 else "",
                },
            )
            # One category, sometimes two (独居 and 失能 …): an elder counts once in E5 all the same.
            elder.categories.set(rng.sample(categories, 2 if rng.random() < 0.3 else 1))
            created_elders += created
            plan = []
            if rng.random() < 0.85:  # last month: most were visited
                plan.append(last_month + timedelta(days=rng.randint(0, (this_month - last_month).days - 1)))
            if rng.random() < 0.6:  # this month so far: some still to do
                plan.append(this_month + timedelta(days=rng.randint(0, today.day - 1)))
            for visited_on in plan:
                method = Visit.Method.IN_PERSON if rng.random() < 0.7 else Visit.Method.PHONE
                _, created = visits.get_or_create(
                    elder=elder, visited_on=visited_on, visitor=rng.choice(VISITORS), method=method
                )
                created_visits += created
    return created_elders, created_visits


def seed(stdout, rng):
    facilities = seed_facilities(rng)
    elders, visits = seed_elders(rng)
    stdout.write(
        f"养老服务：新建设施 {facilities} 处、特殊困难老年人 {elders} 人、探访记录 {visits} 条；"
        f"共 {Facility.objects.count()} 处设施、{Elder.objects.count()} 人"
    )
