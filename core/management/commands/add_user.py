import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Division, Level, Role, User

#: role → (the level of its division, the message when none is given, the message for an unknown code)
DIVISION_OF_ROLE = {
    Role.CLERK: (Level.STREET, "街道填报员必须用 --division 指定所属街道乡镇的区划代码。", "区划代码 %s 不是已登记的街道或乡镇。"),
    Role.DISTRICT: (Level.DISTRICT, "区县民政局审核员必须用 --division 指定所属区县的区划代码。", "区划代码 %s 不是已登记的区县。"),
    Role.PROVINCE: (Level.PROVINCE, "省民政厅审核员必须用 --division 指定所属省的区划代码。", "区划代码 %s 不是已登记的省。"),
    # A city reviewer's city is optional: without one, the whole portal.
    Role.REVIEWER: (Level.CITY, None, "区划代码 %s 不是已登记的市州。"),
}


class Command(BaseCommand):
    help = "创建或更新一个账号（角色：clerk 街道填报员 / district 区县审核员 / reviewer 市审核员 / province 省审核员 / admin 管理员）。密码取自 --password 或标准输入。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[choice.value for choice in Role])
        parser.add_argument(
            "--division",
            help="所属区划的 12 位代码：街道填报员为街道乡镇，区县审核员为区县，市审核员为市州（可不填：整个平台），省审核员为省",
        )
        parser.add_argument("--password", help="不给出则从标准输入读取一行")
        parser.add_argument("--name", default=None, help="姓名（可选）")

    @transaction.atomic
    def handle(self, *args, username, role, division, password, name, **options):
        street = self._division(role, division)
        if password is None:
            password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError("密码不能为空（用 --password 或从标准输入提供）。")

        user = User.objects.filter(username=username).first()
        created = user is None
        user = user or User(username=username)
        user.role = role
        user.division = street
        user.is_active = True
        if name is not None:
            user.first_name = name
        user.set_password(password)
        try:
            user.full_clean()
        except ValidationError as exc:
            raise CommandError("；".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())) from None
        user.save()
        verb = "已创建" if created else "已更新"
        scope = f"，所属 {street.name}（{street.code}）" if street else ""
        self.stdout.write(f"{verb}账号 {username}：{Role(role).label}{scope}")

    def _division(self, role, code):
        """The street of a clerk, the district, city or province of a reviewer; administrators have none."""
        if role not in DIVISION_OF_ROLE:
            if code:
                raise CommandError("只有街道填报员、区县、市和省的审核员才有所属区划。")
            return None
        level, missing, unknown = DIVISION_OF_ROLE[role]
        if not code:
            if missing is None:
                return None
            raise CommandError(missing)
        try:
            return Division.objects.filter(level=level).get(code=code)
        except Division.DoesNotExist:
            raise CommandError(unknown % code) from None
