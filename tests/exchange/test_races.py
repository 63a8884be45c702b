"""Imports and admin saves racing on the same records, on PostgreSQL with two real connections.

Each import runs in its own thread (Django gives every thread its own database connection). A
hook on ``_Run.write`` holds an import between reading its records and writing them, so that
the other writer really lands in that gap: the case where a version checked at read time alone
lets the import overwrite someone else's save.
"""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from core.models import Role, User
from exchange import importer
from exchange.importer import import_workbook
from tests.exchange.helpers import workbook_bytes
from volunteers.models import ServiceField, Team

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of two real connections: PostgreSQL"),
]

CODES = ("ZY1", "ZY2", "ZY3")
WAIT = 20  # seconds: a generous bound, only reached when something is broken


def teams(prefix):
    return workbook_bytes({"志愿服务队": [
        [code, f"{prefix}{code}", "230302001001", "是", 5, "张", "", "助老"] for code in CODES
    ]})


def in_thread(target, *args, **kwargs):
    """Run ``target`` in a thread on its own connection; ``(thread, outcome)`` with ``outcome["value"]``."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.fixture
def hold_before_write(monkeypatch):
    """``hold(callback)``: every import calls ``callback()`` after reading, before its first write."""
    original = importer._Run.write
    holds = {}

    def write(self, *args, **kwargs):
        callback = holds.get("callback")
        if callback is not None and not getattr(self, "_held", False):
            self._held = True
            callback()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(importer._Run, "write", write)
    return lambda callback: holds.__setitem__("callback", callback)


@pytest.fixture
def three_teams(adam):
    assert import_workbook(teams("原"), file_name="setup.xlsx", user=adam).ok
    return list(Team.objects.order_by("code"))


def preview(data, user):
    result = import_workbook(data, file_name="preview.xlsx", user=user, dry_run=True)
    assert result.ok, result.errors
    return result.versions


def test_two_overlapping_confirms_of_the_same_records_exactly_one_succeeds(three_teams, alice, adam, hold_before_write):
    mine, theirs = teams("甲"), teams("乙")
    versions = preview(mine, alice), preview(theirs, adam)
    both_read = threading.Barrier(2, timeout=WAIT)
    hold_before_write(both_read.wait)
    runs = [
        in_thread(import_workbook, data, file_name=name, user=user, expected_versions=expected)
        for data, name, user, expected in ((mine, "甲.xlsx", alice, versions[0]), (theirs, "乙.xlsx", adam, versions[1]))
    ]
    for thread, _outcome in runs:
        thread.join(WAIT)
    results = [outcome["value"] for _thread, outcome in runs]
    assert sorted(result.ok for result in results) == [False, True]
    winner = next(result for result in results if result.ok)
    loser = next(result for result in results if not result.ok)
    prefix = "甲" if winner.file_name == "甲.xlsx" else "乙"
    assert [team.name for team in Team.objects.order_by("code")] == [f"{prefix}{code}" for code in CODES]
    assert loser.batch is None and len(loser.conflicts) == 3
    assert all("为避免覆盖他人的修改" in message for message in loser.errors)
    for team in Team.objects.all():
        assert team.version == 2
        assert sorted(team.history.values_list("version", flat=True)) == [1, 2]  # no version recorded twice


def test_an_admin_save_while_an_import_runs_wins_and_the_import_is_refused(
    client, city, adam, hold_before_write
):
    adele = User.objects.create(username="adele", role=Role.ADMIN)
    community = city["community_a"]
    data = workbook_bytes({"社区村": [
        [community.code, community.name, "230302001000", "社区", 2000, 2500, 600, 45.30, 130.97],
    ]})
    read = threading.Event()
    saved = threading.Event()

    def pause():
        read.set()
        assert saved.wait(WAIT)

    hold_before_write(pause)
    thread, outcome = in_thread(import_workbook, data, file_name="big.xlsx", user=adam)
    assert read.wait(WAIT)
    client.force_login(adele)
    response = client.post(reverse("admin:core_division_change", args=[community.pk]), {
        "code": community.code, "name": community.name, "kind": community.kind, "parent": community.parent_id,
        "households": 1500, "population": 2500, "population_60plus": 600, "latitude": 45.30,
        "longitude": 130.97, "lock_version": 1, "_save": "1",
    })
    assert response.status_code == 302
    saved.set()
    thread.join(WAIT)
    result = outcome["value"]
    community.refresh_from_db()
    assert (community.households, community.version) == (1500, 2)  # the admin's save is kept
    assert not result.ok
    assert any("adele" in message and community.code in message for message in result.errors)
    assert list(community.history.order_by("history_id").values_list("version", "households")) == [(1, 1000), (2, 1500)]


def test_an_admin_save_after_an_import_wrote_waits_for_it_and_is_refused(client, city, adam, monkeypatch):
    adele = User.objects.create(username="adele", role=Role.ADMIN)
    community = city["community_a"]
    data = workbook_bytes({"社区村": [
        [community.code, community.name, "230302001000", "社区", 2000, 2500, 600, 45.30, 130.97],
    ]})
    original = importer._Run.compare_and_set
    wrote = threading.Event()

    def compare_and_set(self, *args, **kwargs):
        original(self, *args, **kwargs)
        wrote.set()
        # Hold the row lock a moment: the admin save below must wait for the import's commit.
        threading.Event().wait(0.5)

    monkeypatch.setattr(importer._Run, "compare_and_set", compare_and_set)
    thread, outcome = in_thread(import_workbook, data, file_name="big.xlsx", user=adam)
    assert wrote.wait(WAIT)
    client.force_login(adele)
    response = client.post(reverse("admin:core_division_change", args=[community.pk]), {
        "code": community.code, "name": community.name, "kind": community.kind, "parent": community.parent_id,
        "households": 1500, "population": 2500, "population_60plus": 600, "latitude": 45.30,
        "longitude": 130.97, "lock_version": 1, "_save": "1",
    })
    thread.join(WAIT)
    assert outcome["value"].ok
    assert response.status_code == 200 and "保存被拒绝" in response.content.decode()
    community.refresh_from_db()
    assert (community.households, community.version) == (2000, 2)


def test_two_imports_creating_the_same_code_at_once_one_is_refused_in_chinese(city, alice, adam, hold_before_write):
    ServiceField.objects.get_or_create(name="助老")  # else the second import waits on the first's new field, before the hook
    both_read = threading.Barrier(2, timeout=WAIT)
    hold_before_write(both_read.wait)
    runs = [in_thread(import_workbook, teams(prefix), file_name=f"{prefix}.xlsx", user=user)
            for prefix, user in (("甲", alice), ("乙", adam))]
    for thread, _outcome in runs:
        thread.join(WAIT)
    results = [outcome["value"] for _thread, outcome in runs]
    assert sorted(result.ok for result in results) == [False, True]
    loser = next(result for result in results if not result.ok)
    assert len(loser.errors) == 1
    message = loser.errors[0]
    assert "未导入任何数据" in message and "duplicate" not in message and "Traceback" not in message
    assert Team.objects.count() == 3
