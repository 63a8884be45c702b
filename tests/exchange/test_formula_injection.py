"""No download runs a formula: every text cell of every sheet escaped; codes that look like formulas refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from eldercare.models import Elder, Facility, Visit
from exchange.cells import FORMULA_STARTS
from exchange.exporter import export_workbook
from exchange.importer import import_workbook
from exchange.spec import SHEETS, SHEETS_BY_NAME
from facilities.models import Centre
from tests.exchange.helpers import sample_bytes
from tests.security.world import World
from volunteers.models import ServiceField, Team, Worker

pytestmark = pytest.mark.django_db

HOSTILE = ('=HYPERLINK("http://e.cn","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "=1\x01+1")


def text_workbook(name, row):
    """One sheet whose cells are all stored as text (as a clerk types ``=…`` into a text-formatted cell)."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = name
    worksheet.append(SHEETS_BY_NAME[name].headers)
    for position, value in enumerate(row, start=1):
        cell = worksheet.cell(row=2, column=position, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def poison_every_text_field(payload):
    """Write ``payload`` into every free text column of every exported record, as legacy data or a bad
    admin save could hold it (``update()`` skips validation). Returns the fields written."""
    written = []
    for model in (Centre, Facility, Team, Worker, Elder, Visit, ServiceField):
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices or field.primary_key:
                continue
            value = payload[: field.max_length] if field.max_length else payload
            try:
                with transaction.atomic():
                    if field.unique:  # one distinct value per record, still starting with the payload
                        for number, pk in enumerate(model.objects.values_list("pk", flat=True)):
                            model.objects.filter(pk=pk).update(**{field.name: value[: field.max_length - 5] + f"{number:05d}"})
                    else:
                        model.objects.update(**{field.name: value})
            except IntegrityError:
                continue  # a check constraint the database enforces (hours, phone shapes)
            written.append(f"{model.__name__}.{field.name}")
    return written


def formula_cells(data):
    """``[(sheet, cell, value)]`` of every cell a spreadsheet would run."""
    found = []
    workbook = load_workbook(io.BytesIO(data))  # not data_only: formulas stay formulas
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)):
                    found.append((worksheet.title, cell.coordinate, cell.value))
    return found


def _import_sample():
    result = import_workbook(sample_bytes(), file_name="s.xlsx", user=None)
    assert result.ok, result.errors
    return {}


@pytest.fixture(scope="class")
def sample_imported(django_db_setup, django_db_blocker):
    """The sample workbook imported once for the class below (not seven times); each test's writes are rolled
    back after it, and the import itself when the class is done."""
    with World(django_db_blocker, build=_import_sample) as built:
        yield built


@pytest.mark.usefixtures("sample_imported")
class TestDownloads:
    @pytest.mark.parametrize("payload", HOSTILE)
    def test_no_sheet_and_no_column_of_any_download_holds_a_live_formula(self, boss, client, payload):
        _no_live_formula(boss, client, payload)

    def test_every_sheet_of_the_export_is_walked(self, boss, client):
        """The walk covers the whole layout: every sheet of the spec has a data row to poison."""
        client.force_login(boss)
        workbook = load_workbook(io.BytesIO(client.get(reverse("exchange:export")).content))
        assert all(workbook[sheet.name].max_row > 1 for sheet in SHEETS)


def _no_live_formula(boss, client, payload):
    written = poison_every_text_field(payload)
    assert {"Elder.code", "Visit.visitor", "Team.name", "Centre.address", "Worker.certificate_number"} <= set(written)
    client.force_login(boss)
    downloads = [reverse("exchange:export"), reverse("exchange:export") + "?personal=0", reverse("exchange:template"),
                 reverse("compliance:xlsx")]
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert formula_cells(response.content) == [], url
    # The 探访记录 sheet names its elder by code: the hostile code is there, escaped.
    sheet = load_workbook(io.BytesIO(client.get(reverse("exchange:export")).content))["探访记录"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'")


@pytest.mark.parametrize("code", ['=HYPERLINK("http://e.cn","x")', "+86", "-1", "@A1", "LR\t1", "LR\u200b1", "\u202eLR1"])
def test_a_code_that_a_spreadsheet_would_run_is_refused_at_import(city, adam, code):
    data = text_workbook("特殊困难老年人", [code, "甲", "230302001001", "独居", "230302194306277046", "13812345678"])
    result = import_workbook(data, file_name="bad.xlsx", user=adam)
    assert not result.ok
    assert any("老人编号" in error and "编号不能" in error for error in result.errors), result.errors
    assert not Elder.objects.exists()


def test_a_formula_name_round_trips_escaped_but_a_formula_code_fails_the_models_validation(city, adam):
    data = text_workbook("志愿服务队", ["ZY1", "=1+1 队", "230302001001", "是", 5, "@张", "", "助老"])
    assert import_workbook(data, file_name="t.xlsx", user=adam).ok
    team = Team.objects.get()
    assert (team.name, team.leader) == ("=1+1 队", "@张")
    exported = export_workbook(adam)
    assert import_workbook(exported, file_name="again.xlsx", user=adam).summary()["志愿服务队"]["unchanged"] == 1
    team.code = "=ZY2"
    with pytest.raises(ValidationError) as refused:
        team.full_clean()
    assert "编号不能以 = + - @ 开头" in str(refused.value.message_dict["code"])
