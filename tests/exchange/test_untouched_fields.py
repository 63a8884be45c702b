"""The importer checks only the fields a row sets (``exchange.run._Run.validate``): a field no column or
derivation fills keeps its default on a new record, so that default must itself pass the field's rules."""

import pytest
from django.core.exceptions import ValidationError

from exchange.spec import SHEETS


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda sheet: sheet.name)
def test_every_field_no_column_fills_is_valid_as_its_default(sheet):
    record = sheet.model()
    filled = {column.field for column in sheet.columns}
    if len(getattr(sheet, "division_kinds", ())) == 1:
        filled.add("kind")  # a divisions' sheet of one kind sets it (DivisionSheet.derive)
    relations = {field.name for field in sheet.model._meta.fields if field.is_relation}
    try:
        record.clean_fields(exclude=filled | relations)
    except ValidationError as exc:
        pytest.fail(f"{sheet.name}: {exc.message_dict} — a column (or the sheet's derive()) must fill these")


def test_the_check_would_see_a_required_field_left_at_its_blank_default():
    sheet = next(sheet for sheet in SHEETS if any(column.field == "name" for column in sheet.columns))
    with pytest.raises(ValidationError) as raised:
        sheet.model().clean_fields(exclude={field.name for field in sheet.model._meta.fields if field.name != "name"})
    assert "name" in raised.value.message_dict


@pytest.mark.django_db
def test_an_update_checks_the_cells_that_change_not_those_that_repeat_the_stored_value(boss, monkeypatch):
    from django.db import models

    from exchange.importer import import_workbook
    from facilities.models import Centre
    from tests.exchange.helpers import edit_sample, sample_bytes

    import_workbook(sample_bytes(), file_name="s.xlsx", user=boss)
    checked = {}
    clean_fields = models.Model.clean_fields

    def recording(self, exclude=None):
        if isinstance(self, Centre):
            checked[self.code] = {field.name for field in self._meta.concrete_fields} - set(exclude or ())
        return clean_fields(self, exclude)

    monkeypatch.setattr(models.Model, "clean_fields", recording)

    def rename(workbook):
        workbook["综合服务设施"]["B2"] = "改名中心"

    result = import_workbook(edit_sample(rename), file_name="s2.xlsx", user=boss)
    assert result.errors == []
    # The cell that changes is checked (and hours typed in another form than the stored normal one); cells that
    # repeat the record's values are not.
    assert "name" in checked["SQ00001"]
    assert checked["SQ00001"].isdisjoint({"address", "total_area", "activity_area", "phone", "status"})
