"""``python manage.py import_workbook FILE.xlsx [--dry-run] [--user USERNAME]``."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exchange.importer import import_workbook
from exchange.safety import MAX_FILE_BYTES


class Command(BaseCommand):
    help = "导入数据报送工作簿（全部成功才写入；有任何错误则不写入并以非零状态退出）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="数据报送工作簿 .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
        parser.add_argument("--user", help="以该用户的身份和范围导入（街道填报员只能导入本街道）；不填为全市")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.select_related("division").get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"没有用户 {options['user']}") from None
        result = import_workbook(
            path.read_bytes(), file_name=path.name, user=user, dry_run=options["dry_run"]
        )
        for counts in result.sheets:
            self.stdout.write(
                f"{counts.name}: 新增 {counts.created}，更新 {counts.updated}，未变 {counts.unchanged}"
            )
        if not result.ok:
            for error in result.listed():
                self.stderr.write(error)
            raise CommandError(f"发现 {result.problem_count} 个问题，未导入任何数据。", returncode=1)
        if result.dry_run:
            self.stdout.write(self.style.SUCCESS("检查通过（试运行，未写入）。"))
        else:
            self.stdout.write(self.style.SUCCESS(f"已导入，批次 #{result.batch.pk}（SHA-256 {result.sha256}）。"))
