"""Small builders for compliance tests (on top of the ``city`` personas fixture): fixtures around
tests/builders.py with this directory's defaults (C00001, a 500 m² centre open 08:00-16:00 …). They save
without ``full_clean``, as they always have: some records here are deliberately incomplete."""

from datetime import date
from decimal import Decimal

import pytest

from core.fields import Status
from tests.builders import CentreFactory, ElderFactory, FacilityFactory, VisitFactory, WorkerFactory, week

FULL_DAY = "08:00-16:00"


@pytest.fixture
def make_centre(db):
    counter = iter(range(1, 100000))

    def make(community, *, total="500", activity="300", hours=FULL_DAY, holidays=True, station=True,
             status=Status.OPERATING, **fields):
        number = next(counter)
        return CentreFactory(
            code=f"C{number:05d}", name=f"服务中心{number}", community=community, address="某路", phone="",
            total_area=Decimal(total), activity_area=Decimal(activity), open_on_holidays=holidays,
            has_volunteer_station=station, status=status, validate=False, **{**week(hours), **fields},
        )

    return make


@pytest.fixture
def make_facility(db):
    counter = iter(range(1, 100000))

    def make(division, kind, *, status=Status.OPERATING, **fields):
        number = next(counter)
        return FacilityFactory(
            code=f"Y{number:05d}", name=f"养老设施{number}", kind=kind, division=division, address="某路",
            status=status, validate=False, **{"phone": "", **week(""), **fields},
        )

    return make


@pytest.fixture
def make_worker(db):
    from volunteers.models import CertificateLevel, WorkerRole

    counter = iter(range(1, 100000))

    def make(workplace, *, certified=True, on_duty=True, role=WorkerRole.COMMUNITY_WORKER, **fields):
        number = next(counter)
        return WorkerFactory(
            code=f"R{number:05d}", name="某人", workplace=workplace, role=role, on_duty=on_duty,
            level=CertificateLevel.SOCIAL_WORKER if certified else CertificateLevel.NONE,
            certificate_number=f"S{number:07d}" if certified else None, until=None, education_hours=Decimal("0"),
            validate=False, **fields,
        )

    return make


@pytest.fixture
def make_elder(db):
    from eldercare.models import ElderCategory

    counter = iter(range(1, 100000))

    def make(community, categories=(ElderCategory.Code.ALONE,)):
        number = next(counter)
        return ElderFactory(
            code=f"L{number:05d}", name="某老人", community=community, id_number="11010519491231002X", phone="",
            categories=categories, validate=False,
        )

    return make


@pytest.fixture
def visit(db):
    from eldercare.models import Visit

    def make(elder, on: date, method=Visit.Method.IN_PERSON):
        return VisitFactory(elder=elder, visited_on=on, visitor="探访员", method=method, validate=False)

    return make
