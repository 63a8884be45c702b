"""send_reminders marks only what it sent, and a missed daily run still sends the deadline reminder once."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.models import Division
from reporting import services
from reporting.models import Period, Reminder, ReturnItem

JUNE = datetime.date(2025, 6, 1)  # due 2025-07-05


def _deadline_mails():
    return [message for message in mail.outbox if "截止" in message.subject]


def test_a_missed_run_still_sends_the_deadline_reminder_once(city, alice):
    alice.email = "a@x.cn"
    alice.save()
    call_command("send_reminders", today="2025-07-01")  # four days before: not yet
    assert _deadline_mails() == []
    # The run of 07-02 (three days before) was missed; 07-03 sends it, later runs do not again.
    for today in ("2025-07-03", "2025-07-04", "2025-07-05"):
        call_command("send_reminders", today=today)
    assert [message.to for message in _deadline_mails()] == [["a@x.cn"]]
    assert Reminder.objects.filter(kind=Reminder.Kind.DEADLINE).count() == 1


def test_a_reminder_reaches_a_clerk_whose_address_is_added_later(city, alice):
    call_command("send_reminders", today="2025-07-02")  # alice has no address: nothing sent, nothing marked
    assert _deadline_mails() == [] and not Reminder.objects.exists()
    alice.email = "a@x.cn"
    alice.save()
    call_command("send_reminders", today="2025-07-04")
    assert [message.to for message in _deadline_mails()] == [["a@x.cn"]]


def test_a_return_notice_is_marked_sent_only_when_sent(city, alice, dora):
    period = services.get_period(city["street_a"], JUNE)
    Period.objects.filter(pk=period.pk).update(status="submitted", first_submitted_at=timezone.now())
    record = f"{ContentType.objects.get_for_model(Division).pk}:{city['community_a'].pk}"
    [item] = services.return_period(user=dora, period=period, reason="户数有误", records=[record],
                                    deadline=datetime.date(2025, 7, 10))
    call_command("send_reminders", today="2025-07-12")  # no address: neither the notice nor the overdue one
    item.refresh_from_db()
    assert (item.notified_at, item.overdue_notified_at) == (None, None) and mail.outbox == []
    alice.email = "a@x.cn"
    alice.save()
    call_command("send_reminders", today="2025-07-13")
    subjects = [message.subject for message in mail.outbox]
    assert any("数据被退回" in subject for subject in subjects) and any("已逾期" in subject for subject in subjects)
    item = ReturnItem.objects.get()
    assert item.notified_at is not None and item.overdue_notified_at is not None
    call_command("send_reminders", today="2025-07-14")
    assert len(mail.outbox) == len(subjects)
