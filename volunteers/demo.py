"""Demo volunteer teams, members, service records, community workers and social workers.

Plausible, not real: most communities have a Party-backbone team and a few have none;
about two in five staff hold a social-work certificate, a few registrations are about to lapse
or have lapsed, and some streets' social-work stations have nobody certified (S2 fails there).
Records are keyed by their code (teams, people) or their natural key (members, service
records), so running ``seed_demo`` again updates rather than duplicates.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from core.history import bulk_history
from core.models import Division, Kind
from core.seeding import Upsert
from volunteers.models import CertificateLevel, Member, ServiceField, ServiceRecord, Team, Worker, WorkerRole

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎常武乔贺"
)
GIVEN_NAMES = (
    "秀英 桂兰 玉兰 淑珍 凤兰 建国 建华 志强 国庆 海燕 丽华 红梅 春梅 德福 宝山 永胜 晓东 文静 丽娜 伟 强 敏 静 "
    "磊 洋 勇 军 杰 娟 霞 平 刚 桂芝 玉珍 振华 立新 淑华 丽 艳 春生 宏伟 雪梅 晓梅 玉梅 凤芝 长青 福林 树林 金凤"
).split()
FIELDS = ["助老助残", "环境保护", "治安巡逻", "文明实践", "邻里互助", "应急救援", "文化体育", "关爱儿童"]
BACKBONE_NAMES = ["党员先锋志愿服务队", "红色先锋志愿服务队", "党员志愿服务队"]
OTHER_NAMES = ["邻里守望志愿服务队", "夕阳红志愿服务队", "巾帼志愿服务队", "青年志愿服务队", "平安巡逻队"]
ACTIVITIES = [
    "走访独居老人", "清扫楼道和小区环境", "夜间平安巡逻", "义务理发", "政策宣传", "关爱留守儿童课后辅导",
    "冬季清雪", "协助社区疫苗接种", "文艺演出", "垃圾分类宣传",
]
LEVEL_WEIGHTS = [(CertificateLevel.ASSISTANT, 0.65), (CertificateLevel.SOCIAL_WORKER, 0.30), (CertificateLevel.SENIOR, 0.05)]
LEVEL_LETTER = {CertificateLevel.ASSISTANT: "Z", CertificateLevel.SOCIAL_WORKER: "S", CertificateLevel.SENIOR: "G"}


def person_name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def mobile(rng):
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def landline(rng):
    return f"0467-{rng.randint(2100000, 2999999)}"


def short_name(community):
    return community.name.removesuffix("村委会") + ("村" if community.kind == Kind.VILLAGE else "")


def seed(stdout, rng):
    today = timezone.localdate()
    fields = {name: ServiceField.objects.get_or_create(name=name)[0] for name in FIELDS}
    communities = list(Division.objects.communities().select_related("street").order_by("code"))
    streets = list(Division.objects.streets().order_by("code"))
    teams, workers = Upsert(Team), Upsert(Worker)
    counts = {"teams": 0, "members": 0, "records": 0, "workers": 0, "certified": 0}
    # The staff draw from their own stream: how many draws the teams' service records take depends on
    # today's date, and the certified share must not change from one day to the next.
    staff_rng = random.Random(rng.getrandbits(64))  # noqa: S311 - demo data  # nosec B311

    for community in communities:
        draw = rng.random()
        kinds = [] if draw < 0.12 else [False] if draw < 0.22 else [True, False] if draw > 0.75 else [True]
        for number, backbone in enumerate(kinds, start=1):
            _seed_team(teams, rng, today, community, number, backbone, fields, counts)

    for community in communities:
        village = community.kind == Kind.VILLAGE
        staff = staff_rng.randint(2, 4) if village else staff_rng.randint(4, 9)
        # Two in five hold a certificate, as a quota per community rather than a coin per person.
        certified = set(staff_rng.sample(range(1, staff + 1), k=round(staff * 0.4)))
        for number in range(1, staff + 1):
            _seed_worker(workers, staff_rng, today, community, number, WorkerRole.COMMUNITY_WORKER, number in certified, counts)
    for street in streets:
        # About a quarter of the stations have nobody certified yet.
        uncertified_station = staff_rng.random() < 0.25
        for number in range(1, staff_rng.randint(1, 3) + 1):
            certified = not uncertified_station and (number == 1 or staff_rng.random() < 0.5)
            _seed_worker(workers, staff_rng, today, street, number, WorkerRole.STATION_STAFF, certified, counts)

    stdout.write(
        f"志愿服务：{counts['teams']} 支队伍，{counts['members']} 名队员，{counts['records']} 条服务记录；"
        f"社区工作者和社工 {counts['workers']} 人，其中持证 {counts['certified']} 人"
    )


def _seed_team(upsert, rng, today, community, number, backbone, fields, counts):
    place = short_name(community)
    name = place + rng.choice(BACKBONE_NAMES if backbone else OTHER_NAMES)
    leader = person_name(rng)
    team, created = upsert(
        code=f"ZYD{community.code}{number:02d}",
        defaults={
            "name": name,
            "community": community,
            "party_backbone": backbone,
            "leader": leader,
            # Some teams give the leader's mobile: stored for staff, never shown to the public.
            "phone": landline(rng) if rng.random() < 0.6 else mobile(rng),
            "meeting_place": f"{place}党群服务中心{rng.choice(['一楼活动室', '二楼志愿服务站', '会议室'])}",
            "how_to_join": rng.choice([
                "每周六上午到活动地点登记报名，或在“志愿黑龙江”平台搜索本队伍申请加入。",
                "到社区党群服务中心志愿服务站填写报名表，年满 18 周岁、身体健康即可。",
                "欢迎居民随时到活动地点报名，党员可通过所在支部报到。",
            ]),
        },
    )
    team.fields.set([fields[name] for name in rng.sample(FIELDS, rng.randint(1, 3))])
    counts["teams"] += 1

    names = {leader}
    size = rng.randint(6, 14)
    while len(names) < size:
        names.add(person_name(rng))
    members = [
        (member_name, {
            "phone": mobile(rng),
            "is_party_member": rng.random() < (0.6 if backbone else 0.2),
            "registered_nationally": rng.random() < 0.7,
        })
        for member_name in sorted(names)
    ]
    rows = _Rows(Member, bulk=created)
    for member_name, defaults in members:
        rows.update_or_create(team=team, name=member_name, defaults=defaults)
    rows.flush()
    counts["members"] += len(names)
    team.member_count = len(names) + rng.randint(0, 20)  # not every member is entered one by one
    team.save(update_fields=["member_count"])

    rows = _Rows(ServiceRecord, bulk=created)
    month_start = today.replace(day=1)
    for back in range(6):
        start = (month_start - datetime.timedelta(days=1)).replace(day=1) if back else month_start
        month_start = start
        last_day = today.day if back == 0 else 28
        for _ in range(rng.randint(0 if back == 0 else 1, 4)):
            rows.update_or_create(
                team=team,
                date=start.replace(day=rng.randint(1, last_day)),
                activity=rng.choice(ACTIVITIES),
                defaults={"hours": Decimal(rng.choice([4, 6, 8, 10, 12, 15, 20])) + Decimal("0.5") * rng.randint(0, 1)},
            )
            counts["records"] += 1
    rows.flush()


class _Rows:
    """``update_or_create`` for the rows of a team; for a team just created, the same rows in bulk.

    A new team has no rows yet: they are inserted together (and their creation history copied from them,
    as ``save()`` would have written it), in the order ``update_or_create`` would have created them. A key
    met again (two service records alike) is updated in place as before, after the rows met before it.
    """

    def __init__(self, model, *, bulk):
        self.model, self.bulk, self.pending, self.seen = model, bulk, [], set()

    def update_or_create(self, defaults, **keys):
        key = tuple(sorted(keys.items()))
        if not self.bulk or key in self.seen:
            self.flush()
            self.model.objects.update_or_create(defaults=defaults, **keys)
            return
        self.seen.add(key)
        row = self.model(**keys, **defaults)
        row.prepare_for_bulk()
        self.pending.append(row)

    def flush(self):
        if self.pending:
            rows = self.model.objects.bulk_create(self.pending)
            bulk_history(self.model, [row.pk for row in rows], history_type="+", when=timezone.now(), reason=None)
            self.pending = []


def _seed_worker(upsert, rng, today, workplace, number, role, certified, counts):
    code = f"RY{workplace.code}{number:02d}"
    defaults = {
        "name": person_name(rng),
        "workplace": workplace,
        "role": role,
        "on_duty": rng.random() < 0.93,
        "level": CertificateLevel.NONE,
        "certificate_number": None,
        "obtained_on": None,
        "registration_valid_until": None,
        "education_hours": Decimal(0),
    }
    if certified:
        draw = rng.random()
        level = next(level for level, weight in _cumulative(LEVEL_WEIGHTS) if draw < weight)
        # ~12 % lapsed, ~15 % lapsing within 90 days, the rest later in their three-year period.
        spread = rng.random()
        offset = rng.randint(-200, -1) if spread < 0.12 else rng.randint(0, 90) if spread < 0.27 else rng.randint(91, 1000)
        until = today + datetime.timedelta(days=offset)
        periods = rng.randint(1, 3)
        defaults.update(
            level=level,
            certificate_number=f"{LEVEL_LETTER[level]}{workplace.code[2:]}{number:02d}",
            obtained_on=until - datetime.timedelta(days=365 * 3 * periods + rng.randint(0, 20)),
            registration_valid_until=until,
            education_hours=Decimal(rng.randint(0, 110)),
        )
        counts["certified"] += 1
    upsert(code=code, defaults=defaults)
    counts["workers"] += 1


def _cumulative(weights):
    total = 0.0
    for level, weight in weights:
        total += weight
        yield level, total
    yield weights[-1][0], 2.0  # guards against rounding at the top
