"""Big workbooks are previewed and imported by the task worker; the user follows a progress page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import ImportBatch
from exchange import tasks
from exchange.importer import import_workbook
from exchange.models import ImportJob
from tests.exchange.helpers import workbook_bytes
from volunteers.models import Team

pytestmark = pytest.mark.django_db

TEAMS = [[f"ZY{number}", f"队{number}", "230302001001", "是", 5, "张", "", "助老"] for number in range(30)]


@pytest.fixture
def small_inline_limit(settings):
    settings.EXCHANGE_MAX_INLINE_CELLS = 50  # 30 rows × 8 cells: a "big" workbook, cheaply


def upload(client, data, name="teams.xlsx"):
    return client.post(reverse("exchange:upload"), {"workbook": SimpleUploadedFile(name, data)})


def test_a_big_workbook_is_previewed_and_imported_as_background_jobs(small_inline_limit, as_user, alice):
    client = as_user(alice)
    response = upload(client, workbook_bytes({"志愿服务队": TEAMS}))
    preview = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("exchange:job", args=[preview.pk])
    assert (preview.confirm, preview.status, preview.user) == (False, ImportJob.Status.DONE, alice)
    page = client.get(response.url)
    assert page.status_code == 200
    assert page.context["result"].sheets[0].created == 30
    assert Team.objects.count() == 0  # a preview writes nothing
    token = page.context["confirm"].initial["token"]
    response = client.post(reverse("exchange:confirm"), {"token": token})
    confirm = ImportJob.objects.get(confirm=True)
    assert response.url == reverse("exchange:job", args=[confirm.pk])
    assert confirm.status == ImportJob.Status.DONE and confirm.result["ok"]
    assert Team.objects.count() == 30
    assert ImportBatch.objects.get().user == alice
    done = client.get(response.url, follow=True)
    assert "已导入 teams.xlsx：新增 30 条" in done.content.decode()


def test_a_running_job_shows_a_progress_bar_and_reloads_itself(as_user, alice):
    job = ImportJob.objects.create(user=alice, file_name="big.xlsx", sha256="0" * 64, total_rows=60000,
                                   status=ImportJob.Status.RUNNING)
    tasks.Reporter(job.pk)(15000, 60000, force=True)
    page = as_user(alice).get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert '<progress id="job-progress" class="w-100" max="60000" value="15000">25%</progress>' in page
    assert '<meta http-equiv="refresh" content="2">' in page


def test_a_job_is_only_its_users(as_user, alice, bob):
    job = ImportJob.objects.create(user=alice, file_name="big.xlsx", sha256="0" * 64)
    assert as_user(bob).get(reverse("exchange:job", args=[job.pk])).status_code == 404


def test_the_import_reports_its_progress(city, adam):
    seen = []
    result = import_workbook(workbook_bytes({"志愿服务队": TEAMS * 1}), file_name="t.xlsx", user=adam,
                             progress=lambda done, total, force=False: seen.append((done, total)))
    assert result.ok
    assert seen[0] == (0, 31)  # the header row counts: the bar ends a row short of full at worst


def test_a_big_workbooks_preview_lists_new_records_and_changed_fields_on_the_confirm_page(
    small_inline_limit, as_user, alice, adam
):
    assert import_workbook(workbook_bytes({"志愿服务队": TEAMS[:1]}), file_name="first.xlsx", user=adam).ok
    changed = [["ZY0", "改名队", *TEAMS[0][2:4], 9, *TEAMS[0][5:]], *TEAMS[1:]]
    client = as_user(alice)
    page = client.get(upload(client, workbook_bytes({"志愿服务队": changed})).url)
    html = page.content.decode()
    assert "<del>队0</del> → <ins>改名队</ins>" in html and "<del>5</del> → <ins>9</ins>" in html
    assert "ZY29" in html and "新增" in html
    assert 'enctype="multipart/form-data"' not in html  # the confirm page has no upload form
    assert reverse("exchange:confirm") in html


def test_a_big_workbooks_problems_come_with_the_annotated_copy(small_inline_limit, as_user, alice):
    bad = [row[:] for row in TEAMS]
    bad[3][3] = "也许"
    client = as_user(alice)
    page = client.get(upload(client, workbook_bytes({"志愿服务队": bad})).url)
    assert not page.context["result"].ok
    token = page.context["annotated_token"]
    html = page.content.decode()
    assert reverse("exchange:annotated", args=[token]) in html
    download = client.get(reverse("exchange:annotated", args=[token]))
    sheet = load_workbook(io.BytesIO(download.content))["志愿服务队"]
    cell = sheet.cell(row=5, column=4)  # the fourth team, 党员骨干
    assert cell.comment is not None and "是" in cell.comment.text
    assert cell.fill.fgColor.rgb == "FFF4B6B6"
    assert sheet.cell(row=4, column=4).comment is None


def test_the_annotated_copy_marks_what_the_preview_found_without_checking_the_file_again(
    small_inline_limit, as_user, alice, monkeypatch
):
    from exchange import views

    bad = [row[:] for row in TEAMS]
    bad[0][4] = -5
    client = as_user(alice)
    token = client.get(upload(client, workbook_bytes({"志愿服务队": bad})).url).context["annotated_token"]
    monkeypatch.setattr(views, "import_workbook", None)  # any second check would fail
    assert client.get(reverse("exchange:annotated", args=[token])).status_code == 200


def test_a_big_workbooks_confirm_writes_the_plan_without_reading_the_workbook_again(
    small_inline_limit, as_user, alice, monkeypatch
):
    from exchange import reader

    client = as_user(alice)
    page = client.get(upload(client, workbook_bytes({"志愿服务队": TEAMS})).url)
    token = page.context["confirm"].initial["token"]
    monkeypatch.setattr(reader, "load_workbook", None)  # a second reading would fail
    response = client.post(reverse("exchange:confirm"), {"token": token})
    confirm = ImportJob.objects.get(confirm=True)
    assert confirm.result["ok"] and Team.objects.count() == 30
    assert client.get(response.url, follow=True).status_code == 200


def test_a_running_confirm_shows_the_records_written(as_user, alice):
    job = ImportJob.objects.create(user=alice, file_name="big.xlsx", sha256="0" * 64, total_rows=60000, confirm=True,
                                   status=ImportJob.Status.RUNNING)
    tasks.Reporter(job.pk)(30000, 60000, force=True)
    page = as_user(alice).get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert "已写入 30000 / 60000 条记录" in page and 'value="30000">50%</progress>' in page
