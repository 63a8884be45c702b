"""The test suite's one set of builders, on factory-boy.

Every record a test needs is made here: ``DivisionFactory``, ``UserFactory``, ``CentreFactory``,
``FacilityFactory``, ``ElderFactory``, ``VisitFactory``, ``TeamFactory``, ``MemberFactory``,
``ServiceRecordFactory`` and ``WorkerFactory``. Each gives a valid record by default; keyword arguments
override what a test is about (``CentreFactory(community=c, activity_area=Decimal("500"))``). Default codes
start with ``Z-`` so that they never meet the codes of the sample workbook (``SQ00001``, ``LR00001`` …).

Validation: a factory runs the model's field validators and ``clean()`` (``full_clean``) before saving, but
leaves check and unique constraints to the database, which enforces the same constraints on insert.
Django validates each ``CheckConstraint`` with a query of its own, which made a dozen queries per record and
most of the suite's fixture time. ``full_check=True`` validates the constraints in Python too (a
``ValidationError`` instead of an ``IntegrityError``) for the tests that are about that message;
``validate=False`` saves without ``full_clean`` (the compliance builders never validated: some of their
records are deliberately incomplete).

The older builders (``tests.personas.make_division``, ``tests.facilities.conftest.make_centre``,
``tests.eldercare.conftest.build_facility`` and the ``make_*`` fixtures of the compliance, eldercare and
volunteers conftests) remain as thin wrappers around these factories, with their old defaults.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.fields import Status
from core.models import Division, Kind, Role, User
from eldercare.models import CareService, Elder, ElderCategory, Facility, FacilityKind, Visit, id_check_digit
from facilities.models import Centre
from volunteers.models import CertificateLevel, Member, ServiceField, ServiceRecord, Team, Worker, WorkerRole

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EIGHT_HOURS = "08:00-12:00,13:00-17:00"
WEEKDAY = "08:30-11:30,13:30-17:30"
PASSWORD = "pw"  # every persona's password (tests/personas.py)


def week(hours, days=DAYS):
    """``{"hours_mon": hours, …}`` for the given days."""
    return {f"hours_{day}": hours for day in days}


def valid_id(first17):
    """An 18-digit resident ID number with its check digit."""
    return first17 + id_check_digit(first17)


class ValidatedFactory(DjangoModelFactory):
    """``full_clean`` then ``save()``: the model's own save logic (ancestors, history, cache) always runs."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, validate=True, full_check=False, **kwargs):
        obj = model_class(*args, **kwargs)
        if validate or full_check:
            obj.full_clean(validate_unique=full_check, validate_constraints=full_check)
        obj.save()
        return obj


class DivisionFactory(ValidatedFactory):
    """A division; ``code``, ``name``, ``kind`` and ``parent`` are the caller's (codes carry the hierarchy)."""

    class Meta:
        model = Division

    kind = Kind.COMMUNITY
    name = factory.Sequence(lambda n: f"区划{n}")


class UserFactory(ValidatedFactory):
    """An account whose password is ``PASSWORD``; ``role`` and ``division`` say who they are."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.CLERK

    @classmethod
    def _create(cls, model_class, *args, password=PASSWORD, **kwargs):
        user = model_class(*args, **kwargs)
        user.set_password(password)
        user.save()
        return user


class CentreFactory(ValidatedFactory):
    """A compliant operating community service centre (F3–F6 met), open 8 hours every day and on holidays."""

    class Meta:
        model = Centre

    code = factory.Sequence(lambda n: f"Z-SQ{n:05d}")
    name = factory.LazyAttribute(lambda o: f"{o.community.name}党群服务中心")
    address = factory.LazyAttribute(lambda o: f"{o.community.name}幸福路1号")
    total_area = Decimal("600")
    activity_area = Decimal("400")
    hours_mon = hours_tue = hours_wed = hours_thu = hours_fri = hours_sat = hours_sun = EIGHT_HOURS
    open_on_holidays = True
    has_volunteer_station = True
    phone = "0467-2345678"
    status = Status.OPERATING


class FacilityFactory(ValidatedFactory):
    """An operating eldercare facility (a day-care centre unless ``kind`` says otherwise), open on weekdays and
    Saturday mornings. ``services=["meals", …]`` picks from the ten helps."""

    class Meta:
        model = Facility
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"Z-YL{n:05d}")
    kind = FacilityKind.DAYCARE
    name = factory.LazyAttribute(lambda o: f"{o.division.name}{FacilityKind(o.kind).label}")
    address = factory.LazyAttribute(lambda o: f"{o.division.name}幸福路1号")
    phone = "0467-2345678"
    hours_mon = hours_tue = hours_wed = hours_thu = hours_fri = WEEKDAY
    hours_sat = "09:00-12:00"
    status = Status.OPERATING

    @factory.post_generation
    def services(obj, create, codes, **kwargs):
        if codes:
            obj.services.set(CareService.objects.filter(code__in=codes))


class ElderFactory(ValidatedFactory):
    """A special-difficulty elder living alone (``categories`` codes of ElderCategory)."""

    class Meta:
        model = Elder
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"Z-LR{n:05d}")
    name = factory.Sequence(lambda n: f"老人{n}")
    id_number = factory.Sequence(lambda n: valid_id(f"2303021945010{n % 10000:04d}"))
    phone = "13812345678"

    @factory.post_generation
    def categories(obj, create, codes, **kwargs):
        obj.categories.set(ElderCategory.objects.filter(code__in=(ElderCategory.Code.ALONE,) if codes is None else codes))


class VisitFactory(ValidatedFactory):
    class Meta:
        model = Visit

    visited_on = factory.LazyFunction(timezone.localdate)
    visitor = "探访员"
    method = Visit.Method.IN_PERSON


class TeamFactory(ValidatedFactory):
    """A volunteer team of 12 with a party backbone. ``fields=["助老", …]`` names its service fields (created
    when the bureau's list lacks them)."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"Z-T{n:04d}")
    name = factory.Sequence(lambda n: f"志愿服务队{n}")
    party_backbone = True
    member_count = 12
    leader = "姚秀兰"
    phone = "0467-2345678"
    meeting_place = "建设社区党群服务中心"
    how_to_join = "每周六上午到活动地点报名。"

    @factory.post_generation
    def fields(obj, create, names, **kwargs):
        for name in names or ():
            obj.fields.add(ServiceField.objects.get_or_create(name=name)[0])


class MemberFactory(ValidatedFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"队员{n}")
    phone = "13912345678"


class ServiceRecordFactory(ValidatedFactory):
    class Meta:
        model = ServiceRecord

    date = factory.LazyFunction(timezone.localdate)
    hours = Decimal("2")
    activity = "走访独居老人"


class WorkerFactory(ValidatedFactory):
    """An on-duty community worker with an assistant social worker's certificate registered for 500 more days
    (``level=CertificateLevel.NONE``: no certificate; ``until``: the registration's last day)."""

    class Meta:
        model = Worker

    class Params:
        until = factory.LazyAttribute(
            lambda o: timezone.localdate() + datetime.timedelta(days=500) if o.certified else None
        )
        certified = factory.LazyAttribute(lambda o: o.level != CertificateLevel.NONE)

    code = factory.Sequence(lambda n: f"Z-W{n:04d}")
    name = factory.Sequence(lambda n: f"社工{n}")
    role = WorkerRole.COMMUNITY_WORKER
    on_duty = True
    level = CertificateLevel.ASSISTANT
    certificate_number = factory.LazyAttributeSequence(lambda o, n: f"Z-C{n:05d}" if o.certified else None)
    obtained_on = factory.LazyAttribute(lambda o: o.until - datetime.timedelta(days=3 * 365) if o.until else None)
    registration_valid_until = factory.LazyAttribute(lambda o: o.until)
    education_hours = Decimal("100")
