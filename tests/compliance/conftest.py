"""Small builders for compliance tests (on top of the ``city`` personas fixture)."""

from datetime import date
from decimal import Decimal

import pytest

from core.fields import Status

FULL_DAY = "08:00-16:00"


@pytest.fixture
def make_centre(db):
    from facilities.models import Centre

    counter = iter(range(1, 100000))

    def make(community, *, total="500", activity="300", hours=FULL_DAY, holidays=True, station=True,
             status=Status.OPERATING, **fields):
        number = next(counter)
        centre = Centre(
            code=f"C{number:05d}", name=f"服务中心{number}", community=community, address="某路",
            total_area=Decimal(total), activity_area=Decimal(activity), open_on_holidays=holidays,
            has_volunteer_station=station, status=status,
            **{**{f"hours_{day}": hours for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}, **fields},
        )
        centre.save()
        return centre

    return make


@pytest.fixture
def make_facility(db):
    from eldercare.models import Facility

    counter = iter(range(1, 100000))

    def make(division, kind, *, status=Status.OPERATING, **fields):
        number = next(counter)
        return Facility.objects.create(
            code=f"Y{number:05d}", name=f"养老设施{number}", kind=kind, division=division, address="某路",
            status=status, **fields,
        )

    return make


@pytest.fixture
def make_worker(db):
    from volunteers.models import CertificateLevel, Worker, WorkerRole

    counter = iter(range(1, 100000))

    def make(workplace, *, certified=True, on_duty=True, role=WorkerRole.COMMUNITY_WORKER, **fields):
        number = next(counter)
        return Worker.objects.create(
            code=f"R{number:05d}", name="某人", workplace=workplace, role=role, on_duty=on_duty,
            level=CertificateLevel.SOCIAL_WORKER if certified else CertificateLevel.NONE,
            certificate_number=f"S{number:07d}" if certified else None, **fields,
        )

    return make


@pytest.fixture
def make_elder(db):
    from eldercare.models import Elder, ElderCategory

    counter = iter(range(1, 100000))

    def make(community, categories=(ElderCategory.Code.ALONE,)):
        number = next(counter)
        elder = Elder.objects.create(
            code=f"L{number:05d}", name="某老人", community=community, id_number="11010519491231002X",
        )
        elder.categories.set(ElderCategory.objects.filter(code__in=categories))
        return elder

    return make


@pytest.fixture
def visit(db):
    from eldercare.models import Visit

    def make(elder, on: date, method=Visit.Method.IN_PERSON):
        return Visit.objects.create(elder=elder, visited_on=on, visitor="探访员", method=method)

    return make
