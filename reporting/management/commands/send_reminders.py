"""Daily: the deadline reminder (three days before), the overdue notice, return and overdue-return notices.

Run once a day by the same cron/systemd timer as the month-end job (docs/DEPLOY.md). Each mail is sent
once (``Reminder`` / the return's ``notified_at``): running it twice a day sends nothing new. A mail is marked
sent only when it was sent: a clerk without an e-mail address gets it on the first run after one is added.
The deadline reminder goes out on any run from three days before the deadline to the deadline day, so a
missed daily run still sends it (once per period).
"""

from datetime import date, timedelta

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.models import Division, Role, User
from reporting.models import Period, Reminder, ReturnItem
from reporting.services import deadline_for, period_to_submit

REMIND_DAYS_BEFORE = 3


def _emails(users):
    return sorted({user.email for user in users if user.email})


def clerks_of(street):
    return _emails(User.objects.filter(role=Role.CLERK, division=street, is_active=True))


def reviewers_of(street):
    return _emails(User.objects.filter(role=Role.DISTRICT, division_id=street.district_id, is_active=True))


class Command(BaseCommand):
    help = "发送月度报送提醒邮件：截止前三天提醒、逾期通知、退回通知（每天运行一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按这一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, today=None, **options):
        try:
            today = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today 应为 YYYY-MM-DD。") from None
        sent = self.periods(today) + self.returns(today)
        self.stdout.write(f"已发送 {sent} 封提醒邮件。")

    def periods(self, today):
        month = period_to_submit(today)
        deadline = deadline_for(month)
        if deadline - timedelta(days=REMIND_DAYS_BEFORE) <= today <= deadline:
            kind = Reminder.Kind.DEADLINE
        elif today > deadline:
            kind = Reminder.Kind.OVERDUE
        else:
            return 0
        submitted = Period.objects.filter(month=month, first_submitted_at__isnull=False).values("street")
        sent = 0
        for street in Division.objects.streets().exclude(pk__in=submitted).select_related("district"):
            with transaction.atomic():
                period, _created = Period.objects.get_or_create(street=street, month=month)
                if Reminder.objects.filter(period=period, kind=kind).exists():
                    continue
                to = clerks_of(street) + (reviewers_of(street) if kind == Reminder.Kind.OVERDUE else [])
                if not to:
                    continue
                if kind == Reminder.Kind.DEADLINE:
                    subject = f"【月度报送】{street.name} {month:%Y-%m} 数据将于 {deadline:%Y-%m-%d} 截止"
                    body = f"{street.name} {month:%Y-%m} 的数据尚未提交，截止日为 {deadline:%Y-%m-%d}，请及时提交。"
                else:
                    subject = f"【月度报送】{street.name} {month:%Y-%m} 数据已逾期未提交"
                    body = f"{street.name} {month:%Y-%m} 的数据截止日 {deadline:%Y-%m-%d} 已过，尚未提交。"
                send_mail(subject, body, None, to)
                Reminder.objects.create(period=period, kind=kind, recipients=", ".join(to))
                sent += 1
        return sent

    def returns(self, today):
        sent = 0
        now = timezone.now()
        for item in ReturnItem.objects.filter(notified_at__isnull=True).select_related("street", "period"):
            to = clerks_of(item.street)
            if not to:
                continue  # not sent: tried again on the next run
            send_mail(f"【月度报送】{item.street.name} {item.period.month_text} 数据被退回：{item.record_label}",
                      f"退回意见：{item.reason}\n修改期限：{item.deadline:%Y-%m-%d}", None, to)
            sent += 1
            item.notified_at = now
            item.save(update_fields=["notified_at"])
        overdue = ReturnItem.objects.filter(state=ReturnItem.State.OPEN, deadline__lt=today,
                                            overdue_notified_at__isnull=True).select_related("street", "period")
        for item in overdue:
            to = clerks_of(item.street) + reviewers_of(item.street)
            if not to:
                continue
            send_mail(f"【月度报送】退回事项已逾期：{item.street.name} {item.record_label}",
                      f"修改期限 {item.deadline:%Y-%m-%d} 已过，尚未修改。退回意见：{item.reason}", None, to)
            sent += 1
            item.overdue_notified_at = now
            item.save(update_fields=["overdue_notified_at"])
        return sent

