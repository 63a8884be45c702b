import importlib
import random

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core import kept_figures
from core.caching import bulk_change
from core.models import Division, Role, User

DEMO_PASSWORD = "demo-2025-portal"  # noqa: S105 - demo accounts only, printed for the newcomer  # nosec B105
DEMO_ACCOUNTS = [
    ("clerk_xiangyang", Role.CLERK, "230302001000", "向阳街道填报员"),
    ("clerk_nanshan", Role.CLERK, "230302002000", "南山街道填报员"),
    ("district_jiguan", Role.DISTRICT, "230302000000", "鸡冠区民政局审核员"),
    ("reviewer", Role.REVIEWER, "230300000000", "鸡西市民政局审核员"),
    ("province_reviewer", Role.PROVINCE, "230000000000", "省民政厅审核员"),
    ("bureau_admin", Role.ADMIN, None, "民政局管理员"),
]


class Command(BaseCommand):
    help = "在空数据库中生成示例省（鸡西市和另一个市）和各角色的演示账号；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库已有区划时什么也不做")

    @transaction.atomic
    def handle(self, *args, if_empty=False, **options):
        if if_empty and Division.objects.exists():
            self.stdout.write("已有数据，跳过示例城市。")
            return
        # Each app adds its records through its own ``demo.seed(stdout, rng)``, core first. The public
        # cache is retired once at the end (and on commit) rather than by each of the thousands of saves.
        with bulk_change(), kept_figures.bulk_load():  # the kept figures: rebuilt once, after the last record
            self._seed_apps()
        self._seed_accounts()

    def _seed_apps(self):
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.seed(self.stdout, random.Random(f"2303-{config.name}"))  # noqa: S311 - demo data  # nosec B311

    def _seed_accounts(self):
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, role, code, name in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.role = role
            user.division = Division.objects.get(code=code) if code else None
            user.first_name = name
            # An address at the reserved example.org: `send_reminders` has someone to mail (console backend in
            # development), never a real mailbox.
            user.email = user.email or f"{username}@example.org"
            # A new account has no password to check: check_password("") would still hash once (its guard
            # against timing attacks), at about 0.2 s with the production hasher.
            if user.pk is None or not user.has_usable_password() or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
            user.save()
            self.stdout.write(f"  {username:<16} {Role(role).label}{'（' + user.division.name + '）' if code else ''}")
