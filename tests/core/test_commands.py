import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from core.models import Division, Role, User


def test_add_user_creates_a_clerk_of_a_street(city):
    out = io.StringIO()
    call_command("add_user", "zhang", "--role", "clerk", "--division", "230302001000", "--password", "s3cret-pass", stdout=out)
    user = User.objects.get(username="zhang")
    assert user.role == Role.CLERK and user.division == city["street_a"]
    assert user.check_password("s3cret-pass") and user.is_staff and not user.is_superuser
    assert "已创建" in out.getvalue()


def test_add_user_updates_an_existing_account_instead_of_duplicating(city):
    call_command("add_user", "li", "--role", "clerk", "--division", "230302001000", "--password", "first-pass", stdout=io.StringIO())
    out = io.StringIO()
    call_command("add_user", "li", "--role", "reviewer", "--password", "second-pass", stdout=out)
    user = User.objects.get(username="li")
    assert User.objects.filter(username="li").count() == 1
    assert user.role == Role.REVIEWER and user.division is None and user.check_password("second-pass")
    assert "已更新" in out.getvalue()


def test_add_user_reads_the_password_from_standard_input(city, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("from-stdin-pass\n"))
    call_command("add_user", "wang", "--role", "admin", stdout=io.StringIO())
    user = User.objects.get(username="wang")
    assert user.check_password("from-stdin-pass") and user.is_superuser


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "clerk", "--password", "x-pass-word"], "--division"),
        (["--role", "clerk", "--division", "230302001001", "--password", "x-pass-word"], "不是已登记的街道"),
        (["--role", "reviewer", "--division", "230302001000", "--password", "x-pass-word"], "不是已登记的市州"),
    ],
)
def test_add_user_refuses_bad_input_in_chinese(city, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_user", "bad", *args, stdout=io.StringIO())
    assert not User.objects.filter(username="bad").exists()


def _record_counts():
    """How many records each model of the domain apps holds (their history rows aside)."""
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for app in ("core", "facilities", "eldercare", "volunteers")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }


@pytest.mark.django_db
def test_seed_demo_prints_the_accounts_codes_its_divisions_consistently_and_is_idempotent():
    """One seeding for what used to be two tests (the demo city is the slowest fixture of the suite)."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    counts = {model: model.objects.count() for model in (Division, User)}
    assert counts[Division] >= 30
    assert "clerk_xiangyang" in out.getvalue() and "reviewer" in out.getvalue()
    for division in Division.objects.select_related("parent"):
        division.full_clean()  # every demo code passes the same validation as user input
    assert Division.objects.communities().filter(latitude__isnull=True).exists()  # data-quality example
    records = _record_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert {model: model.objects.count() for model in (Division, User)} == counts
    # Idempotent for every app's records (each app's demo test reads the demo city without seeding it twice).
    assert _record_counts() == records
    checked = io.StringIO()
    call_command("verify_figures", stdout=checked)  # the kept counts equal a recount after seeding twice
    assert "全部一致" in checked.getvalue()
    for role in Role:
        assert User.objects.filter(role=role).exists()
    # The demo clerks have an address, so the daily reminders show in development (console backend).
    assert User.objects.get(username="clerk_nanshan").email == "clerk_nanshan@example.org"
    call_command("send_reminders", today="2025-07-02", stdout=io.StringIO())
    assert any(message.to == ["clerk_nanshan@example.org"] for message in mail.outbox)
