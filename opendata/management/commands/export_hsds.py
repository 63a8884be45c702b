"""``python manage.py export_hsds FILE.zip [--base-url https://portal.example.gov.cn]``: the HSDS data package."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opendata.datapackage import build


class Command(BaseCommand):
    help = "导出开放数据包（HSDS 3.0 表格格式：每张表一个 CSV 和 datapackage.json，打包为 zip）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="写入的 .zip 文件")
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000",
            help="门户的网址（服务的 url 字段以它开头），如 https://portal.example.gov.cn",
        )

    def handle(self, *args, **options):
        base_url = options["base_url"].rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(f"--base-url 应以 http:// 或 https:// 开头，“{base_url}”不是。")
        path = Path(options["file"])
        if path.parent and not path.parent.is_dir():
            raise CommandError(f"目录 {path.parent} 不存在。")
        data = build(base_url)
        path.write_bytes(data)
        self.stdout.write(f"已写入 {path}（{len(data):,} 字节）")
