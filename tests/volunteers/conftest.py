"""The volunteer teams' and social workers' builders, on top of the shared personas' city: thin fixtures
around tests/builders.py that keep this directory's numbering (T0001, 志愿服务队1, W0001, 社工1 …)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.builders import MemberFactory, ServiceRecordFactory, TeamFactory, WorkerFactory
from volunteers.models import CertificateLevel


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_team(city):
    counter = iter(range(1, 10_000))

    def make(community=None, fields=(), **values):
        number = next(counter)
        values = {"code": f"T{number:04d}", "name": f"志愿服务队{number}", **values}
        return TeamFactory(community=community or city["community_a"], fields=fields, **values)

    return make


@pytest.fixture
def make_member():
    def make(team, name, phone="13912345678", **values):
        return MemberFactory(team=team, name=name, phone=phone, validate=False, **values)

    return make


@pytest.fixture
def make_record():
    def make(team, date, hours, activity="走访独居老人"):
        return ServiceRecordFactory(team=team, date=date, hours=Decimal(str(hours)), activity=activity, validate=False)

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
            "code": f"W{number:04d}", "name": f"社工{number}",
            "certificate_number": f"C{number:05d}" if certified else None, **values,
        }
        return WorkerFactory(workplace=workplace or city["community_a"], level=level, until=until, **values)

    return make
