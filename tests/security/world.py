"""One record of every kind in street A (向阳街道) and one in street B (南山街道), built once per module.

``build_world()`` returns ``{"users": {persona: User}, "ids": {placeholder: value}}``; the placeholders are
what the permission matrix writes in its URL templates (``{centre_a}``, ``{elder_b_h}`` …). ``*_h`` is the
id of the record's latest history row (simple-history's revision page).
"""

import datetime
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.utils import timezone

from compliance.models import CorrectionRequest, Job, Plan, Snapshot, Target
from core.models import Holiday, ImportBatch, Kind, Role
from eldercare.models import ElderAccessLog, ElderCategory, FacilityKind, Visit
from facilities.models import Centre, Service
from opendata.ids import stable_id
from portal.models import ErrorReport, Rating
from reporting.models import Period, ReturnItem, ValidationRule
from tests.builders import CentreFactory, DivisionFactory, ElderFactory, FacilityFactory, UserFactory, valid_id
from volunteers.models import CertificateLevel, Member, ServiceField, ServiceRecord, Team, Worker, WorkerRole

ANON, ALICE, BOB, RITA, ADAM = "anonymous", "alice", "bob", "rita", "adam"
DORA = "dora"  # district reviewer of 鸡冠区 (both streets): tests/security/test_district_reviewer_matrix.py
PERSONAS = (ANON, ALICE, BOB, RITA, ADAM)

# Personal data of the world, so tests can look for it.
ELDER_A = {"name": "张秀英", "id": valid_id("23030219400101123"), "phone": "13812345678"}
ELDER_B = {"name": "李桂兰", "id": valid_id("23030219380202456"), "phone": "13998765432"}


def _user(username, role, division=None):
    return UserFactory(username=username, role=role, division=division)


def make_division(code, name, kind, parent=None, **fields):
    return DivisionFactory(code=code, name=name, kind=kind, parent=parent, **fields)


def _latest_history(obj):
    return obj.history.order_by("-history_id").first().history_id


def _street(ids, suffix, street, community, elder, users):
    """The records of one street; ``suffix`` is "a" or "b"."""
    letter = suffix.upper()
    centre = CentreFactory(community=community, code=f"SQ-{letter}")
    daycare = FacilityFactory(division=community, code=f"RZ-{letter}", kind=FacilityKind.DAYCARE)
    street_centre = FacilityFactory(
        division=street, code=f"ZH-{letter}", kind=FacilityKind.STREET_CENTRE,
        full_care=True, day_care=True, home_visits=True, guidance=True,
    )
    institution = FacilityFactory(
        division=community, code=f"JG-{letter}", kind=FacilityKind.INSTITUTION, beds=100, nursing_beds=60, ownership="public",
    )
    old = ElderFactory(code=f"LR-{letter}", name=elder["name"], community=community, id_number=elder["id"],
                       phone=elder["phone"], categories=[ElderCategory.Code.ALONE])
    visit = Visit.objects.create(elder=old, visited_on=timezone.localdate(), visitor="探访员", method="in_person")
    log = ElderAccessLog.objects.create(elder=old, user=users[ADAM], path="/admin/")
    team = Team.objects.create(
        code=f"T-{letter}", name=f"{community.name}志愿服务队", community=community, party_backbone=True,
        member_count=10, leader="队长", phone="0467-2345678",
    )
    member = Member.objects.create(team=team, name=f"队员{letter}", phone=f"1391234567{ord(letter) % 10}")
    record = ServiceRecord.objects.create(
        team=team, date=timezone.localdate(), hours=Decimal("2"), activity="走访独居老人"
    )
    worker = Worker.objects.create(
        code=f"W-{letter}", name=f"社工{letter}", workplace=community, role=WorkerRole.COMMUNITY_WORKER,
        on_duty=True, level=CertificateLevel.ASSISTANT, certificate_number=f"C-{letter}",
        obtained_on=timezone.localdate() - datetime.timedelta(days=400),
        registration_valid_until=timezone.localdate() + datetime.timedelta(days=700), education_hours=Decimal("80"),
    )
    correction = CorrectionRequest.objects.create(street=street, comment="请核对面积", created_by=users[ADAM])
    period = Period.objects.create(street=street, month=datetime.date(2025, 6, 1), status="submitted",
                                   first_submitted_at=timezone.now())
    return_item = ReturnItem.objects.create(
        period=period, street=street, content_type=ContentType.objects.get_for_model(community), object_id=community.pk,
        record_label=community.name, reason="户数有误", deadline=datetime.date(2025, 7, 12), created_by=users[ADAM],
    )
    report = ErrorReport.objects.create(target="facility", object_id=daycare.pk, object_name=daycare.name,
                                        division=community, topic="hours", phone="13800000000")
    rating = Rating.objects.create(target="facility", object_id=daycare.pk, object_name=daycare.name,
                                   division=community, score=4, comment="不错")
    records = {
        "division": community, "centre": centre, "facility": daycare, "street_centre": street_centre,
        "institution": institution, "elder": old, "visit": visit, "elderaccesslog": log, "team": team,
        "member": member, "servicerecord": record, "worker": worker, "correction": correction,
        "report": report, "rating": rating, "returnitem": return_item,
    }
    for name, obj in records.items():
        ids[f"{name}_{suffix}"] = obj.pk
        if hasattr(obj, "history"):
            ids[f"{name}_{suffix}_h"] = _latest_history(obj)
    ids[f"street_{suffix}_code"] = street.code
    # The open-data API's ids of the same records (opendata.ids).
    ids[f"centre_{suffix}_hsds"] = stable_id("facilities.Centre", centre.pk)
    ids[f"centre_{suffix}_hsds_sal"] = stable_id("facilities.Centre", centre.pk, "service_at_location")
    ids[f"street_{suffix}_hsds"] = stable_id("core.Division", street.pk, "office")


def build_world():
    d1 = make_division("230302000000", "鸡冠区", Kind.DISTRICT)
    street_a = make_division("230302001000", "向阳街道", Kind.STREET, d1)
    street_b = make_division("230302002000", "南山街道", Kind.STREET, d1)
    community_a = make_division(
        "230302001001", "建设社区", Kind.COMMUNITY, street_a,
        households=1000, population=2500, population_60plus=600, latitude=45.30, longitude=130.97,
    )
    community_b = make_division(
        "230302002001", "南山社区", Kind.COMMUNITY, street_b,
        households=1200, population=3000, population_60plus=700, latitude=45.31, longitude=130.98,
    )
    users = {
        ALICE: _user("alice", Role.CLERK, street_a), BOB: _user("bob", Role.CLERK, street_b),
        RITA: _user("rita", Role.REVIEWER), ADAM: _user("adam", Role.ADMIN),
        DORA: _user("dora", Role.DISTRICT, d1),
    }
    ids = {"district_code": d1.code, "user_a": users[ALICE].pk, "user_b": users[BOB].pk}
    _street(ids, "a", street_a, community_a, ELDER_A, users)
    _street(ids, "b", street_b, community_b, ELDER_B, users)

    service = Service.objects.create(name="党建活动", ordering=1)
    field = ServiceField.objects.create(name="助老服务")
    holiday = Holiday.objects.create(date=datetime.date(2025, 10, 1), kind=Holiday.DayKind.HOLIDAY, name="国庆节")
    batch = ImportBatch.objects.create(file_name="台账.xlsx", sha256="0" * 64, user=users[ALICE])
    plan = Plan.objects.create(name="十四五规划", in_force=True)
    target = Target.objects.create(plan=plan, indicator="F1", figure=Decimal("100"))
    snapshot = Snapshot.objects.create(name="2023 中期评估", plan_name=plan.name, month="2025-01", created_by=users[ADAM])
    job = Job.objects.create(kind=Job.Kind.REPORT, title="2023 中期评估报告", state=Job.State.DONE, filename="r.docx",
                             content_type="application/octet-stream", content=b"report", created_by=users[RITA])
    group = Group.objects.create(name="填报员")
    access = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "alice", "http_accept": "*/*",
              "path_info": "/accounts/login/"}
    attempt = AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **access)
    access_log = AccessLog.objects.create(**access)
    failure = AccessFailureLog.objects.create(**access)
    ids.update(
        service=service.pk, service_h=1,  # Service keeps no history
         servicefield=field.pk, holiday=holiday.pk,
        importbatch=batch.pk, plan=plan.pk, plan_h=_latest_history(plan), target=target.pk,
        target_h=_latest_history(target), snapshot=snapshot.pk, job=job.pk, group=group.pk, accessattempt=attempt.pk,
        accesslog=access_log.pk, accessfailurelog=failure.pk,
        centre_ct=ContentType.objects.get_for_model(Centre).pk,
        validationrule=ValidationRule.objects.order_by("pk").first().pk,
    )
    return {"users": users, "ids": ids}


def _session_of(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def sign_in(client, world, persona):
    """``client`` signed in as ``persona`` with the session the world made for them (``World.sessions``).

    One ``force_login`` a persona for the whole module instead of one a test: logging in (a session row, the
    user's ``last_login`` saved, the login signals) was an eighth of the permission matrix's time. A test that
    ends the session (logging out) does so in its own savepoint, which is rolled back."""
    client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][persona]


class World:
    """Builds the world (or what ``build`` makes) inside a transaction that is rolled back when the module is done.

    Each test still runs in its own savepoint (pytest-django's ``db``), so a test's writes never reach the next.
    A world with ``users`` also gets ``sessions``: a signed-in session key per persona (``sign_in``).
    """

    def __init__(self, django_db_blocker, build=build_world):
        self.blocker = django_db_blocker
        self.build = build

    def __enter__(self):
        self.unblock = self.blocker.unblock()
        self.unblock.__enter__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        built = self.build()
        if "users" in built:
            built["sessions"] = {persona: _session_of(user) for persona, user in built["users"].items()}
        return built

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.unblock.__exit__(*exc)
