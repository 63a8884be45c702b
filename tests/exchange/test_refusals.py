"""Files and workbooks the import refuses, each with a message that says why."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from core.models import Division, ImportBatch
from exchange.importer import import_workbook
from exchange.safety import MAX_FILE_BYTES
from tests.exchange.helpers import sample_bytes, workbook_bytes

pytestmark = pytest.mark.django_db


def refused(data, **kwargs):
    result = import_workbook(data, file_name="x.xlsx", **kwargs)
    assert not result.ok
    assert ImportBatch.objects.count() == 0
    return " ".join(result.errors)


def test_a_text_file_named_xlsx_is_not_a_workbook():
    assert "这不是 Excel 工作簿（.xlsx）文件" in refused(b"code,name\n230302000000,x\n")


def test_a_password_protected_workbook_is_refused_as_encrypted():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024
    assert "设有打开密码" in refused(ole)


def test_a_truncated_workbook_is_refused_as_corrupt():
    assert "文件已损坏" in refused(sample_bytes()[:5000])


def test_a_zip_that_is_not_an_office_package_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "没有工作簿内容" in refused(buffer.getvalue())


def test_a_file_over_20_mb_is_refused_before_reading():
    assert "超过 20 MB 的上限" in refused(b"PK\x03\x04" + b"\0" * MAX_FILE_BYTES)


def test_a_zip_bomb_is_refused_from_its_declared_sizes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    assert "压缩炸弹" in refused(buffer.getvalue())


def test_a_missing_required_column_is_named(city):
    data = workbook_bytes({"综合服务设施": []}, headers={"综合服务设施": ["设施编号", "名称", "所属社区代码", "地址"]})
    message = refused(data)
    assert "工作表“综合服务设施”缺少必填列" in message
    assert "总建筑面积" in message and "居民活动面积" in message and "状态" in message


def test_an_unknown_sheet_is_named_and_ignored(city):
    # Issue #18: a sheet the portal does not know (e.g. 备注) is ignored with a warning, not a refusal.
    data = workbook_bytes({"区县": [["230399000000", "新区"]], "Sheet1": []}, headers={"Sheet1": ["a"]})
    result = import_workbook(data, file_name="t.xlsx", dry_run=True)
    assert result.ok and "“Sheet1”不是报送模板的工作表，已忽略" in "\n".join(result.warnings)


def test_a_reviewer_cannot_import(rita):
    assert "不能导入" in refused(sample_bytes(), user=rita)


def test_the_command_exits_non_zero_and_prints_every_error(tmp_path, city, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes({"社区村": [
        ["230302001009", "新社区", "230302001000", "社区", 0, 10, 1, None, None],
        ["230302001010", "另一社区", "230302009000", "社区", 10, 10, 1, None, None],
    ]}))
    with pytest.raises(CommandError) as raised:
        call_command("import_workbook", str(path))
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert "社区村 第2行 户数 0：社区村的户数至少为 1。" in err
    assert "社区村 第3行 所属街道代码 230302009000：找不到区划代码 230302009000" in err
    assert not Division.objects.filter(code="230302001009").exists()
