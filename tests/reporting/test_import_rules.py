"""The validation rules on import for the visit and worker sheets too: an error refuses the workbook, naming
the sheet's row and column, and nothing is written."""

import datetime

from django.utils import timezone

from eldercare.models import Elder, Visit
from exchange.importer import import_workbook
from tests.exchange.helpers import workbook_bytes
from volunteers.models import Worker

ELDER = ["LR9", "李四", "230302001001", "独居", "23030219530227861x", "13812345678"]


def _refused(result, sheet, column):
    assert not result.ok
    assert any(sheet in error and "第2行" in error and column in error for error in result.errors), result.errors


def test_a_visit_in_the_future_refuses_the_workbook(city, alice):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = workbook_bytes({"特殊困难老年人": [ELDER], "探访记录": [["LR9", tomorrow.isoformat(), "王五", "电话"]]})
    _refused(import_workbook(data, file_name="v.xlsx", user=alice), "探访记录", "探访日期")
    assert not Elder.objects.filter(code="LR9").exists() and not Visit.objects.exists()
    today = timezone.localdate().isoformat()  # the same row dated today is accepted
    data = workbook_bytes({"特殊困难老年人": [ELDER], "探访记录": [["LR9", today, "王五", "电话"]]})
    assert import_workbook(data, file_name="v.xlsx", user=alice).errors == []


def test_a_date_serial_before_1900_refuses_the_worker_and_visit_sheets(city, alice):
    row = ["RY9", "张三", "230302001001", "社区工作者", "是", "社会工作师", "S1", "1899-12-31", "2030-05-01"]
    _refused(import_workbook(workbook_bytes({"社区工作者": [row]}), file_name="w.xlsx", user=alice),
             "社区工作者", "取得日期")
    assert not Worker.objects.filter(code="RY9").exists()
    data = workbook_bytes({"特殊困难老年人": [ELDER], "探访记录": [["LR9", "1899-12-31", "王五", "电话"]]})
    _refused(import_workbook(data, file_name="v.xlsx", user=alice), "探访记录", "探访日期")
    assert not Visit.objects.exists()


def test_a_certificate_obtained_in_the_future_refuses_the_workbook(city, alice):
    later = timezone.localdate() + datetime.timedelta(days=1)
    row = ["RY9", "张三", "230302001001", "社区工作者", "是", "社会工作师", "S1", later.isoformat(),
           (later + datetime.timedelta(days=900)).isoformat()]
    _refused(import_workbook(workbook_bytes({"社区工作者": [row]}), file_name="w.xlsx", user=alice),
             "社区工作者", "取得日期")
    assert not Worker.objects.filter(code="RY9").exists()
