"""A city at scale, written with bulk_create.

At scale 1 it has the figures issue 8 asks for (1,500 communities, 3,000
centres, 20,000 volunteers, 5,000 staff, 3,000 special-difficulty elderly with
a year of visits) plus eldercare facilities and volunteer teams in proportion;
scale N multiplies every count by N. bulk_create skips ``save()``, so the
denormalised fields are set here with the models' own helpers
(``Division.resolve_ancestors``, ``WeeklyHours.refresh_shortest_day``).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from core import kept_figures, search_text

BATCH = 2000
VISIT_MONTHS = 12
VISIT_SHARE = 0.9  # share of elder-months with a visit (E5 is not all green)

# Counts at scale 1.
BASE_COUNTS = {
    "districts": 10,
    "streets": 150,
    "communities": 1500,
    "centres": 3000,
    "teams": 3000,
    "members": 20000,
    "workers": 5000,
    "elders": 3000,
    "daycare": 900,
    "street_centres": 150,
    "institutions": 60,
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞斌波辉宁凤春晨阳建国志文海燕秋云峰"
STREET_WORDS = "和平胜利解放建设人民中山友谊团结光明幸福长安新华东风红旗文化振兴向阳朝阳繁荣兴业永安富民"
CENTRE_SERVICES = ["党群活动", "便民服务", "文体活动", "托育服务", "法律咨询", "就业指导", "图书阅览", "心理疏导"]
TEAM_FIELDS = ["助老", "环境", "治安", "文化", "助残", "应急"]
WEEKDAY_PATTERNS = ["08:30-11:30,13:30-17:30", "08:00-12:00,13:00-17:00", "08:00-17:30", "08:00-20:00"]
WEEKEND_PATTERNS = ["09:00-17:00", "08:00-12:00,13:00-17:00", "", "08:30-16:30"]


def counts_for(scale):
    """How many rows of each kind a scale gives: every count × scale, at least one."""
    return {kind: max(1, round(count * scale)) for kind, count in BASE_COUNTS.items()}


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _mobile(rng):
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def _landline(rng):
    return f"0467-{rng.randrange(2000000, 8999999)}"


def _district_code(index):
    # 23 (Heilongjiang) + city 03, 04, … + district 01–99.
    return f"23{3 + index // 99:02d}{index % 99 + 1:02d}000000"


def _chunks(rows):
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


def _bulk(model, rows):
    created = []
    for chunk in _chunks(rows):
        created.extend(model.objects.bulk_create(chunk))
    return created


def _months_back(today, count):
    """The first days of the ``count`` full months before ``today``'s month, oldest first."""
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def populate(scale, *, seed=8, stdout=None, today=None):
    """Write the city into the current (empty, migrated) database; return the counts written."""
    from core.models import Role, User

    rng = random.Random(seed)  # nosec B311
    want = counts_for(scale)
    today = today or date.today()

    def say(message):
        if stdout:
            stdout.write(message + "\n")

    districts, streets, communities = _divisions(rng, want)
    say(f"区划 {len(districts) + len(streets) + len(communities)}（另有省、市）")
    centres = _centres(rng, want, communities)
    say(f"综合服务设施 {len(centres)}")
    facilities = _eldercare(rng, want, districts, streets, communities)
    say(f"养老服务设施 {len(facilities)}")
    teams, members = _teams(rng, want, communities)
    say(f"志愿服务队 {len(teams)}，志愿者 {len(members)}")
    for model in search_text.searchable_models():  # bulk_create sends no save(): the one search's kept text
        search_text.refresh(model)
    workers = _workers(rng, want, streets, communities, today)
    say(f"社区工作者 {len(workers)}")
    district_codes = {district.pk: district.code for district in districts}
    elders, visits = _elders(rng, want, communities, district_codes, len(workers), today)
    say(f"特殊困难老年人 {len(elders)}，探访记录 {len(visits)}")
    kept_figures.rebuild_all()  # bulk_create sends no save(): the board's kept figures (compliance.kept)
    say("指标汇总数已重算")

    # A bureau reviewer for the logged-in measurements.
    reviewer = User(username="bench-reviewer", role=Role.REVIEWER)
    reviewer.set_unusable_password()
    reviewer.save()

    return {
        "districts": len(districts), "streets": len(streets), "communities": len(communities),
        "centres": len(centres), "daycare": want["daycare"], "street_centres": want["street_centres"],
        "institutions": want["institutions"], "teams": len(teams), "members": len(members),
        "workers": len(workers), "elders": len(elders), "visits": len(visits),
    }


def _divisions(rng, want):
    """Divisions: the province (黑龙江省) and its cities (99 districts each: one at 1×, five at 40×), districts,
    then streets (80 % urban 街道, 20 % rural 乡镇), then communities."""
    from core.models import Division, Kind
    from core.provinces import province_name

    codes = [_district_code(i) for i in range(want["districts"])]
    province = Division(code=codes[0][:2] + "0" * 10, name=province_name(codes[0]), kind=Kind.PROVINCE)
    province.resolve_ancestors()
    province.save()
    city_rows = [Division(code=prefix + "0" * 8, name=f"第{index + 1}市", kind=Kind.CITY, parent=province)
                 for index, prefix in enumerate(dict.fromkeys(code[:4] for code in codes))]
    for city in city_rows:
        city.resolve_ancestors()
    cities = {city.code[:4]: city for city in _bulk(Division, city_rows)}
    district_rows = [
        Division(code=code, name=f"第{i + 1}区", kind=Kind.DISTRICT, parent=cities[code[:4]])
        for i, code in enumerate(codes)
    ]
    for district in district_rows:
        district.resolve_ancestors()
    districts = _bulk(Division, district_rows)
    street_rows, per_district = [], [0] * len(districts)
    for i in range(want["streets"]):
        district = districts[i % len(districts)]
        k = per_district[i % len(districts)]
        per_district[i % len(districts)] += 1
        rural = k % 5 == 4
        code = f"{district.code[:6]}{200 + k if rural else 1 + k:03d}000"
        word = STREET_WORDS[(2 * i) % len(STREET_WORDS): (2 * i) % len(STREET_WORDS) + 2]
        street = Division(
            code=code, name=f"{word}{'乡' if rural else '街道'}{i + 1}", kind=Kind.TOWN if rural else Kind.STREET,
            parent=district,
        )
        street.resolve_ancestors()
        street_rows.append(street)
    streets = _bulk(Division, street_rows)
    community_rows, per_street = [], [0] * len(streets)
    for i in range(want["communities"]):
        street = streets[i % len(streets)]
        m = per_street[i % len(streets)]
        per_street[i % len(streets)] += 1
        village = street.kind == Kind.TOWN
        households = rng.randint(300, 900) if village else rng.randint(1200, 3200)
        population = int(households * rng.uniform(2.3, 2.9))
        located = rng.random() < 0.95
        community = Division(
            code=f"{street.code[:9]}{200 + m if village else 1 + m:03d}",
            name=f"{STREET_WORDS[i % len(STREET_WORDS)]}{i + 1}{'村' if village else '社区'}",
            kind=Kind.VILLAGE if village else Kind.COMMUNITY,
            parent=street,
            households=households,
            population=population,
            population_60plus=int(population * rng.uniform(0.2, 0.3)),
            latitude=round(45.0 + rng.uniform(0, 0.6), 6) if located else None,
            longitude=round(130.6 + rng.uniform(0, 0.8), 6) if located else None,
        )
        community.resolve_ancestors()
        community_rows.append(community)
    communities = _bulk(Division, community_rows)
    return districts, streets, communities


def _centres(rng, want, communities):
    """Community service centres, two per community on average, with services."""
    from facilities.models import Centre, Service

    services = [Service.objects.get_or_create(name=name, defaults={"ordering": n})[0] for n, name in enumerate(CENTRE_SERVICES)]
    centre_rows = []
    for i in range(want["centres"]):
        community = communities[i % len(communities)]
        total = Decimal(rng.randint(200, 1500))
        weekday, weekend = rng.choice(WEEKDAY_PATTERNS), rng.choice(WEEKEND_PATTERNS)
        centre = Centre(
            code=f"ZX{i + 1:08d}", name=f"{community.name}党群服务中心{i // len(communities) + 1}",
            community=community, address=f"{community.name}{rng.randint(1, 300)}号",
            total_area=total, activity_area=(total * Decimal(rng.randint(45, 85)) / 100).quantize(Decimal("0.01")),
            hours_mon=weekday, hours_tue=weekday, hours_wed=weekday, hours_thu=weekday, hours_fri=weekday,
            hours_sat=weekend, hours_sun=weekend, open_on_holidays=rng.random() < 0.6,
            has_volunteer_station=rng.random() < 0.8, has_social_work_point=rng.random() < 0.6,
            has_self_service_terminal=rng.random() < 0.4, phone=_landline(rng),
            status=rng.choices(["operating", "construction", "closed"], weights=[90, 5, 5])[0],
            latitude=community.latitude, longitude=community.longitude,
        )
        centre.refresh_shortest_day()
        centre_rows.append(centre)
    centres = _bulk(Centre, centre_rows)
    _bulk(Centre.services.through, [
        Centre.services.through(centre_id=centre.pk, service_id=service.pk)
        for centre in centres for service in rng.sample(services, 3)
    ])
    return centres


def _eldercare(rng, want, districts, streets, communities):
    """Eldercare: day-care centres in communities, one street centre per street, institutions."""
    from eldercare.models import CareService, Facility, FacilityKind, Ownership

    helps = list(CareService.objects.all())
    facility_rows = []
    for i in range(want["daycare"]):
        community = communities[i % len(communities)]
        facility_rows.append(Facility(
            code=f"RZ{i + 1:08d}", name=f"{community.name}日间照料中心", kind=FacilityKind.DAYCARE, division=community,
            address=f"{community.name}{rng.randint(1, 300)}号", day_care=True, beds=rng.randint(0, 20),
            latitude=community.latitude, longitude=community.longitude,
        ))
    for i in range(want["street_centres"]):
        street = streets[i % len(streets)]
        comprehensive = rng.random() < 0.75
        facility_rows.append(Facility(
            code=f"ZH{i + 1:08d}", name=f"{street.name}综合养老服务中心", kind=FacilityKind.STREET_CENTRE,
            division=street, address=f"{street.name}{rng.randint(1, 300)}号", beds=rng.randint(20, 60),
            full_care=comprehensive, day_care=True, home_visits=True, guidance=comprehensive,
        ))
    for i in range(want["institutions"]):
        street = streets[(i * 7) % len(streets)]
        beds = rng.randint(50, 300)
        facility_rows.append(Facility(
            code=f"JG{i + 1:08d}", name=f"{street.name}养老院{i + 1}", kind=FacilityKind.INSTITUTION, division=street,
            address=f"{street.name}{rng.randint(1, 300)}号", beds=beds, nursing_beds=int(beds * rng.uniform(0.3, 0.8)),
            ownership=Ownership.PUBLIC if i < len(districts) else Ownership.PRIVATE, full_care=True,
        ))
    for n, facility in enumerate(facility_rows):
        facility.hours_mon = facility.hours_tue = facility.hours_wed = facility.hours_thu = facility.hours_fri = (
            WEEKDAY_PATTERNS[n % len(WEEKDAY_PATTERNS)]
        )
        facility.hours_sat = facility.hours_sun = WEEKEND_PATTERNS[n % len(WEEKEND_PATTERNS)]
        facility.phone = _landline(rng)
        facility.status = rng.choices(["operating", "construction", "closed"], weights=[92, 4, 4])[0]
        facility.refresh_shortest_day()
    facilities = _bulk(Facility, facility_rows)
    _bulk(Facility.services.through, [
        Facility.services.through(facility_id=facility.pk, careservice_id=help_.pk)
        for facility in facilities for help_ in rng.sample(helps, min(4, len(helps)))
    ])
    return facilities


def _teams(rng, want, communities):
    """Volunteer teams and their members (member_count is what the members are)."""
    from volunteers.models import Member, ServiceField, Team

    fields = [ServiceField.objects.get_or_create(name=name)[0] for name in TEAM_FIELDS]
    team_rows = []
    for i in range(want["teams"]):
        community = communities[i % len(communities)]
        team_rows.append(Team(
            code=f"ZY{i + 1:08d}", name=f"{community.name}志愿服务队{i // len(communities) + 1}", community=community,
            party_backbone=rng.random() < 0.7, leader=_name(rng), phone=_landline(rng),
            meeting_place=f"{community.name}党群服务中心", how_to_join="到社区党群服务中心登记。",
        ))
    member_rows, sizes = [], [0] * len(team_rows)
    for i in range(want["members"]):
        sizes[i % len(team_rows)] += 1
    for team, size in zip(team_rows, sizes, strict=True):
        team.member_count = size
    teams = _bulk(Team, team_rows)
    _bulk(Team.fields.through, [
        Team.fields.through(team_id=team.pk, servicefield_id=field.pk) for team in teams for field in rng.sample(fields, 2)
    ])
    for i in range(want["members"]):
        member_rows.append(Member(
            team=teams[i % len(teams)], name=_name(rng), phone=_mobile(rng),
            is_party_member=rng.random() < 0.4, registered_nationally=rng.random() < 0.7,
        ))
    members = _bulk(Member, member_rows)
    return teams, members


def _workers(rng, want, streets, communities, today):
    """Staff: 90 % community workers at communities, 10 % station staff at streets; 35 % certified."""
    from volunteers.models import CertificateLevel, Worker, WorkerRole

    levels = [CertificateLevel.ASSISTANT, CertificateLevel.SOCIAL_WORKER, CertificateLevel.SENIOR]
    worker_rows = []
    for i in range(want["workers"]):
        station = i % 10 == 9
        certified = rng.random() < 0.35
        obtained = today - timedelta(days=rng.randint(30, 2000)) if certified else None
        worker_rows.append(Worker(
            code=f"RY{i + 1:08d}", name=_name(rng),
            workplace=streets[i % len(streets)] if station else communities[i % len(communities)],
            role=WorkerRole.STATION_STAFF if station else WorkerRole.COMMUNITY_WORKER,
            on_duty=rng.random() < 0.95,
            level=rng.choices(levels, weights=[6, 3, 1])[0] if certified else CertificateLevel.NONE,
            certificate_number=f"ZS{i + 1:08d}" if certified else None,
            obtained_on=obtained,
            registration_valid_until=obtained + timedelta(days=3 * 365) if certified else None,
            education_hours=Decimal(rng.randint(0, 90)) if certified else Decimal(0),
        ))
    workers = _bulk(Worker, worker_rows)
    return workers


def _elders(rng, want, communities, district_codes, worker_count, today):
    """Special-difficulty elderly with valid GB 11643 IDs, and a year of monthly visits."""
    from eldercare.models import Elder, ElderCategory, Visit, id_check_digit

    categories = list(ElderCategory.objects.all())
    elder_rows = []
    for i in range(want["elders"]):
        community = communities[i % len(communities)]
        born = date(1930, 1, 1) + timedelta(days=rng.randint(0, 35 * 365))
        first17 = f"{district_codes[community.district_id][:6]}{born:%Y%m%d}{rng.randrange(1000):03d}"
        elder_rows.append(Elder(
            code=f"LR{i + 1:08d}", name=_name(rng), community=community,
            id_number=first17 + id_check_digit(first17), phone=_mobile(rng),
        ))
    elders = _bulk(Elder, elder_rows)
    links = Elder.categories.through
    _bulk(links, [links(elder_id=elder.pk, eldercategory_id=rng.choice(categories).pk) for elder in elders])
    visitors = [_name(rng) for _ in range(max(10, worker_count // 10))]
    visit_rows = []
    for elder in elders:
        for month in _months_back(today, VISIT_MONTHS):
            if rng.random() < VISIT_SHARE:
                visit_rows.append(Visit(
                    elder=elder, visited_on=month.replace(day=rng.randint(1, 28)), visitor=rng.choice(visitors),
                    method=Visit.Method.IN_PERSON if rng.random() < 0.7 else Visit.Method.PHONE,
                ))
    visits = _bulk(Visit, visit_rows)
    return elders, visits
