"""Refusing a file before any spreadsheet code reads it.

Checked on the bytes, never on the name: the size, the zip signature and
``[Content_Types].xml`` of an Office Open XML package, the OLE/CFB signature
of an encrypted (password-protected) workbook or an old .xls, and the sizes
the zip directory declares (a zip bomb is refused before it is inflated).
"""

import io
import zipfile

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
#: Uncompressed sizes a city-scale workbook never reaches.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileRefused(Exception):
    """The whole file is refused; ``str(error)`` says why, in Chinese."""


def check_workbook_bytes(data):
    """Raise ``FileRefused`` unless ``data`` looks like a safe .xlsx package."""
    size = len(data)
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            _("文件大小 %(size).1f MB，超过 %(limit)s MB 的上限，请分街道或分表报送。")
            % {"size": size / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024}
        )
    if data.startswith(CFB_MAGIC):
        raise FileRefused(
            _("文件设有打开密码（已加密），或是旧版 .xls 格式：请在 Excel 中取消密码，另存为 .xlsx 后再上传。")
        )
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused(_("这不是 Excel 工作簿（.xlsx）文件：请使用数据报送模板，另存为 .xlsx 后再上传。"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(_("文件已损坏，无法读取：请在 Excel 中重新另存为 .xlsx 后再上传。")) from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise FileRefused(_("这不是 Excel 工作簿（.xlsx）文件：压缩包里没有工作簿内容。"))
    uncompressed = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    if uncompressed > MAX_UNCOMPRESSED_BYTES or uncompressed / compressed > MAX_COMPRESSION_RATIO:
        raise FileRefused(
            _("文件解压后有 %(size).0f MB（压缩比 %(ratio).0f 倍），疑似“压缩炸弹”，已拒绝。")
            % {"size": uncompressed / 1024 / 1024, "ratio": uncompressed / compressed}
        )
