"""The upload page: preview, confirm of the stored file, lost updates, who may do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportBatch
from exchange.importer import import_workbook
from tests.exchange.helpers import workbook_bytes
from volunteers.models import Team

pytestmark = pytest.mark.django_db

TEAM = ["ZY1", "建设队", "230302001001", "是", 5, "张", "", "助老"]


@pytest.fixture(autouse=True)
def service_fields(db):
    """The bureau's list of service fields: a clerk's import picks from it (exchange.rules)."""
    from volunteers.models import ServiceField

    ServiceField.objects.get_or_create(name="助老")


def upload(client, data, name="teams.xlsx"):
    return client.post(reverse("exchange:upload"), {"workbook": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(("persona", "status"), [(None, 302), ("rita", 403), ("alice", 200), ("adam", 200)])
def test_who_may_open_the_upload_page(request, as_user, city, persona, status):
    user = request.getfixturevalue(persona) if persona else None
    assert as_user(user).get(reverse("exchange:upload")).status_code == status


@pytest.mark.parametrize(("persona", "status"), [(None, 302), ("rita", 200), ("alice", 200)])
def test_who_may_export(request, as_user, city, persona, status):
    user = request.getfixturevalue(persona) if persona else None
    response = as_user(user).get(reverse("exchange:export"))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_template_downloads_for_signed_in_users(as_user, alice):
    response = as_user(alice).get(reverse("exchange:template"))
    assert response.status_code == 200 and response.content.startswith(b"PK\x03\x04")


def test_a_preview_shows_counts_and_writes_nothing_until_confirmed(as_user, alice):
    client = as_user(alice)
    response = upload(client, workbook_bytes({"志愿服务队": [TEAM]}))
    assert response.status_code == 200
    assert response.context["result"].sheets[0].created == 1
    assert Team.objects.count() == 0
    token = response.context["confirm"].initial["token"]
    response = client.post(reverse("exchange:confirm"), {"token": token})
    assert response.status_code == 302
    team = Team.objects.get()
    batch = ImportBatch.objects.get()
    assert (batch.user, batch.file_name) == (alice, "teams.xlsx")
    assert team.history.get().import_batch == batch
    # The stored file is gone: confirming twice imports nothing more.
    client.post(reverse("exchange:confirm"), {"token": token})
    assert ImportBatch.objects.count() == 1


def test_a_preview_lists_every_problem_and_offers_no_confirm(as_user, alice):
    bad = ["ZY2", "南山队", "230302002001", "是", 5, "", "", ""]
    response = upload(as_user(alice), workbook_bytes({"志愿服务队": [TEAM, bad]}))
    content = response.content.decode()
    assert "志愿服务队 第3行 所属社区代码 230302002001：属于南山街道，您只能导入向阳街道的数据。" in content
    assert "confirm" not in response.context


def test_a_refused_file_is_explained_on_the_page(as_user, alice):
    response = upload(as_user(alice), b"not a workbook", name="fake.xlsx")
    assert "这不是 Excel 工作簿（.xlsx）文件" in response.content.decode()


def test_one_user_cannot_confirm_anothers_upload(as_user, alice, adam):
    response = upload(as_user(alice), workbook_bytes({"志愿服务队": [TEAM]}))
    token = response.context["confirm"].initial["token"]
    as_user(adam).post(reverse("exchange:confirm"), {"token": token})
    assert Team.objects.count() == 0


def test_a_confirm_over_a_record_changed_after_the_preview_is_refused_naming_it(as_user, alice, adam):
    import_workbook(workbook_bytes({"志愿服务队": [TEAM]}), file_name="first.xlsx", user=adam)
    client = as_user(alice)
    response = upload(client, workbook_bytes({"志愿服务队": [["ZY1", "爱丽丝改的名", *TEAM[2:]]]}))
    assert response.context["result"].sheets[0].updated == 1
    token = response.context["confirm"].initial["token"]
    # Meanwhile someone else changes the team.
    import_workbook(workbook_bytes({"志愿服务队": [["ZY1", "别人改的名", *TEAM[2:]]]}), file_name="other.xlsx", user=adam)
    response = client.post(reverse("exchange:confirm"), {"token": token})
    assert response.status_code == 200
    assert "志愿服务队 ZY1：预览后已被 adam 修改（预览时版本 1，现在版本 2）" in response.content.decode()
    assert Team.objects.get().name == "别人改的名"
    assert ImportBatch.objects.filter(user=alice).count() == 0


def test_the_workspace_links_to_the_exchange(as_user, alice, rita):
    content = as_user(alice).get(reverse("workspace")).content.decode()
    assert reverse("exchange:upload") in content and reverse("exchange:export") in content
    content = as_user(rita).get(reverse("workspace")).content.decode()
    assert f'href="{reverse("exchange:upload")}"' not in content and reverse("exchange:export") in content
