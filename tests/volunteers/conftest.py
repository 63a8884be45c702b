"""Factories for volunteer teams and social workers, on top of the shared personas' city."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from volunteers.models import CertificateLevel, Member, ServiceField, ServiceRecord, Team, Worker, WorkerRole


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_team(city):
    counter = iter(range(1, 10_000))

    def make(community=None, fields=(), **values):
        number = next(counter)
        values = {
            "code": f"T{number:04d}", "name": f"志愿服务队{number}", "community": community or city["community_a"],
            "party_backbone": True, "member_count": 12, "leader": "姚秀兰", "phone": "0467-2345678",
            "meeting_place": "建设社区党群服务中心", "how_to_join": "每周六上午到活动地点报名。", **values,
        }
        team = Team(**values)
        team.full_clean()
        team.save()
        for name in fields:
            team.fields.add(ServiceField.objects.get_or_create(name=name)[0])
        return team

    return make


@pytest.fixture
def make_member():
    def make(team, name, phone="13912345678", **values):
        return Member.objects.create(team=team, name=name, phone=phone, **values)

    return make


@pytest.fixture
def make_record():
    def make(team, date, hours, activity="走访独居老人"):
        return ServiceRecord.objects.create(team=team, date=date, hours=Decimal(str(hours)), activity=activity)

    return make


@pytest.fixture
def make_worker(city, today):
    counter = iter(range(1, 10_000))

    def make(workplace=None, level=CertificateLevel.ASSISTANT, until=..., **values):
        number = next(counter)
        certified = level != CertificateLevel.NONE
        if until is ...:
            until = today + datetime.timedelta(days=500) if certified else None
        values = {
            "code": f"W{number:04d}", "name": f"社工{number}", "workplace": workplace or city["community_a"],
            "role": WorkerRole.COMMUNITY_WORKER, "on_duty": True, "level": level,
            "certificate_number": f"C{number:05d}" if certified else None,
            "obtained_on": until - datetime.timedelta(days=3 * 365) if until else None,
            "registration_valid_until": until, "education_hours": Decimal("100"), **values,
        }
        worker = Worker(**values)
        worker.full_clean()
        worker.save()
        return worker

    return make
