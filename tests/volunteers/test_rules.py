"""The worker rules: in clean() for forms, in the database for everything else."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from volunteers.forms import WorkerAdminForm
from volunteers.models import CertificateLevel, Worker, WorkerRole


def worker(city, **values):
    values = {"code": "P001", "name": "王秀英", "workplace": city["community_a"], "level": CertificateLevel.NONE, **values}
    return Worker(**values)


def form_for(user, **data):
    data = {
        "code": "P900", "name": "李建国", "workplace": "", "role": WorkerRole.COMMUNITY_WORKER, "on_duty": "on",
        "level": CertificateLevel.NONE, "certificate_number": "", "obtained_on": "", "registration_valid_until": "",
        "education_hours": "0", **data,
    }
    form_class = type("Form", (WorkerAdminForm,), {"user": user})
    return form_class(data=data)


def test_registration_date_on_the_day_obtained_is_refused(city):
    same_day = datetime.date(2024, 5, 1)
    person = worker(city, level=CertificateLevel.ASSISTANT, certificate_number="Z1",
                    obtained_on=same_day, registration_valid_until=same_day)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "registration_valid_until" in error.value.message_dict
    assert "应晚于取得日期" in error.value.message_dict["registration_valid_until"][0]


def test_registration_date_one_day_after_obtained_is_accepted(city):
    person = worker(city, level=CertificateLevel.ASSISTANT, certificate_number="Z1",
                    obtained_on=datetime.date(2024, 5, 1), registration_valid_until=datetime.date(2024, 5, 2))
    person.full_clean()


def test_database_refuses_registration_before_obtained(city):
    person = worker(city, level=CertificateLevel.ASSISTANT, certificate_number="Z1",
                    obtained_on=datetime.date(2024, 5, 1), registration_valid_until=datetime.date(2024, 4, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()


@pytest.mark.parametrize("number", [None, ""])
def test_level_without_certificate_number_is_refused(city, number):
    person = worker(city, level=CertificateLevel.SOCIAL_WORKER, certificate_number=number)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert error.value.message_dict["certificate_number"] == ["填写了职业资格等级时必须填写证书编号。"]


def test_database_refuses_level_without_certificate_number(city):
    with pytest.raises(IntegrityError), transaction.atomic():
        worker(city, level=CertificateLevel.SENIOR, certificate_number=None).save()


def test_no_level_needs_no_certificate_number(city):
    worker(city, certificate_number=None).full_clean()


def test_constraint_messages_are_chinese_and_name_the_field():
    messages = {c.name: str(c.violation_error_message) for c in Worker._meta.constraints}
    assert "证书编号" in messages["worker_certificate_number_required"]
    assert "登记有效期至" in messages["worker_registration_after_obtained"]
    assert "继续教育学时" in messages["worker_education_hours_positive"]


def test_certificate_number_is_unique_in_the_database(city, make_worker):
    make_worker(certificate_number="DUP-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        worker(city, code="OTHER", level=CertificateLevel.ASSISTANT, certificate_number="DUP-1").save()


def test_one_person_code_cannot_be_on_duty_at_a_second_workplace(city, make_worker):
    make_worker(code="P1", workplace=city["community_a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        worker(city, code="P1", workplace=city["community_b"]).save()


def test_station_staff_must_work_at_a_street(city):
    person = worker(city, role=WorkerRole.STATION_STAFF)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "workplace" in error.value.message_dict


def test_duplicate_person_code_names_the_existing_workplace_to_a_clerk_who_sees_it(city, alice, make_worker):
    make_worker(code="P100", name="赵淑珍", workplace=city["community_a"])
    form = form_for(alice, code="P100", workplace=city["community_a2"].pk)
    assert not form.is_valid()
    message = form.errors["code"][0]
    assert "人员编号 P100" in message
    assert "建设社区" in message and "赵淑珍" in message
    assert "不能在两处在岗" in message


def test_duplicate_person_code_does_not_reveal_another_streets_workplace(city, bob, make_worker):
    make_worker(code="P100", name="赵淑珍", workplace=city["community_a"])
    form = form_for(bob, code="P100", workplace=city["community_b"].pk)
    assert not form.is_valid()
    message = form.errors["code"][0]
    assert "其他街道乡镇" in message
    assert "建设社区" not in message and "赵淑珍" not in message and "向阳" not in message


def test_duplicate_certificate_number_is_explained(city, alice, make_worker):
    make_worker(code="P100", certificate_number="ZS-2023-1", workplace=city["street_a"], role=WorkerRole.STATION_STAFF)
    form = form_for(alice, code="P101", workplace=city["community_a"].pk, level=CertificateLevel.ASSISTANT,
                    certificate_number="ZS-2023-1")
    assert not form.is_valid()
    message = form.errors["certificate_number"][0]
    assert "证书编号 ZS-2023-1" in message and "向阳街道社会工作站" in message
    assert "code" not in form.errors


def test_editing_a_person_does_not_clash_with_their_own_numbers(city, alice, make_worker):
    person = make_worker(code="P100", certificate_number="ZS-1")
    form_class = type("Form", (WorkerAdminForm,), {"user": alice})
    form = form_class(data={
        "code": "P100", "name": "改名", "workplace": city["community_a"].pk, "role": WorkerRole.COMMUNITY_WORKER,
        "on_duty": "on", "level": CertificateLevel.ASSISTANT, "certificate_number": "ZS-1",
        "obtained_on": person.obtained_on, "registration_valid_until": person.registration_valid_until,
        "education_hours": "10",
    }, instance=person)
    assert form.is_valid(), form.errors


def test_empty_certificate_numbers_do_not_clash(city, alice, make_worker):
    make_worker(level=CertificateLevel.NONE)
    form = form_for(alice, workplace=city["community_a"].pk)
    assert form.is_valid(), form.errors
    assert form.save().certificate_number is None
