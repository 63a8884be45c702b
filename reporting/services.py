"""Writes of the reporting cycle: submit, return, approve, accept, reopen; fix and close returns.

Each transition checks who may take it (``core.scoping``: a clerk of the street submits; the street's own
district reviewer returns, approves and reopens; the city accepts), which state it starts from, and leaves
an ``Event`` (who, when, note) in the same transaction.
"""

from calendar import monthrange
from datetime import date, timedelta
from fractions import Fraction

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance import board, selectors
from compliance.kinds import Context
from compliance.rules import INDICATORS
from core import permissions, scoping
from reporting import rules
from reporting.models import Event, Explanation, Period, ReturnItem, Status


def deadline_for(month):
    """A month's period is due on ``REPORTING_DEADLINE_DAY`` of the following month."""
    year, number = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
    return date(year, number, min(settings.REPORTING_DEADLINE_DAY, monthrange(year, number)[1]))


def period_to_submit(today=None):
    """The month a street reports now: the last full month."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def get_period(street, month):
    period, _created = Period.objects.get_or_create(street=street, month=month.replace(day=1))
    return period


def _locked(period):
    return Period.objects.select_for_update().select_related("street").get(pk=period.pk)


def _event(period, user, action, note=""):
    return Event.objects.create(period=period, user=user, action=action, note=(note or "").strip())


def _require_clerk(user, period):
    scoping.get_for_user(user, Period.objects.all(), pk=period.pk)  # 404 outside the user's sight
    if not (permissions.is_clerk_of(user, period.street_id)):
        raise PermissionDenied


def _require_reviewer(user, period):
    scoping.get_for_user(user, Period.objects.all(), pk=period.pk)
    if not permissions.can_review(user, period.street):
        raise PermissionDenied


def _refuse(message):
    raise ValidationError(message)


@transaction.atomic
def submit(*, user, period, explanations=None, note=""):
    """A street clerk submits (提交): no validation error, every warning explained, no open return."""
    _require_clerk(user, period)
    period = _locked(period)
    if not period.can_submit:
        _refuse(_("本月数据当前状态为“%(status)s”，不能提交；已审核通过的月份须由区县重新打开后才能再次提交。")
                % {"status": period.get_status_display()})
    open_returns = period.returns.filter(state=ReturnItem.State.OPEN).count()
    if open_returns:
        _refuse(_("还有 %(count)s 条退回事项未修改，请先修改并标记为已修改。") % {"count": open_returns})
    issues = rules.street_issues(period.street)
    errors = [issue for issue in issues if issue.is_error]
    if errors:
        _refuse([_("数据校验错误，不能提交：%(message)s") % {"message": issue.message} for issue in errors])
    explanations = explanations or {}
    missing = [issue for issue in issues if not (explanations.get(issue.key) or "").strip()]
    if missing:
        _refuse([_("警告须书面说明后才能提交：%(message)s") % {"message": issue.message} for issue in missing])
    for issue in issues:  # a resubmission's explanation replaces the earlier one of the same warning
        Explanation.objects.update_or_create(period=period, key=issue.key, defaults={
            "message": issue.message, "text": explanations[issue.key].strip(), "user": user})
    now = timezone.now()
    period.status = Status.SUBMITTED
    period.submitted_at = now
    period.first_submitted_at = period.first_submitted_at or now
    period.save()
    _event(period, user, Event.Action.SUBMIT, note)
    return period


def record_choices(street):
    """``[(value, label)]`` of the records a return may name: communities, centres, eldercare facilities, elders."""
    from core.models import Division, Level
    from eldercare.models import Elder, Facility
    from facilities.models import Centre

    groups = [
        (Division.objects.filter(level=Level.COMMUNITY, street=street), _("社区村")),
        (Centre.objects.filter(community__street=street), _("综合服务设施")),
        (Facility.objects.filter(division__in=Division.objects.filter(pk=street.pk) | Division.objects.filter(
            street=street)), _("养老服务设施")),
        (Elder.objects.filter(community__street=street), _("特殊困难老年人")),
    ]
    choices = []
    for queryset, title in groups:
        content_type = ContentType.objects.get_for_model(queryset.model)
        choices.append((title, [(f"{content_type.pk}:{obj.pk}", f"{obj.name}（{getattr(obj, 'code', '')}）")
                                for obj in queryset.order_by("pk")]))
    return choices


def resolve_record(street, value):
    """The record of ``street`` named by a ``record_choices`` value (ValidationError otherwise)."""
    for _title, options in record_choices(street):
        for option, label in options:
            if option == value:
                type_pk, pk = value.split(":")
                content_type = ContentType.objects.get_for_id(int(type_pk))
                return content_type, int(pk), label
    raise ValidationError(_("所选记录不属于%(street)s。") % {"street": street.name})


@transaction.atomic
def return_period(*, user, period, reason, records, indicator="", deadline=None):
    """The district returns (退回) a submitted period, naming the indicator and the records to fix."""
    _require_reviewer(user, period)
    period = _locked(period)
    if period.status != Status.SUBMITTED:
        _refuse(_("只有已提交、待审核的月份才能退回（当前：%(status)s）。") % {"status": period.get_status_display()})
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("请填写退回意见：哪项数据需要修改、为什么。"))
    if not records:
        _refuse(_("请至少选择一条需要修改的记录（社区、设施、养老设施或老人）。"))
    if indicator and indicator not in INDICATORS:
        _refuse(_("指标代码“%(code)s”不存在。") % {"code": indicator})
    deadline = deadline or timezone.localdate() + timedelta(days=settings.REPORTING_RETURN_DAYS)
    items = []
    for value in records:
        content_type, pk, label = resolve_record(period.street, value)
        items.append(ReturnItem.objects.create(
            period=period, street=period.street, indicator=indicator, content_type=content_type, object_id=pk,
            record_label=label, reason=reason, deadline=deadline, created_by=user,
        ))
    period.status = Status.RETURNED
    period.returned_count += 1
    period.save()
    _event(period, user, Event.Action.RETURN, reason)
    return items


def street_figures(street, month):
    """``{indicator: [numerator, denominator, value, target, comparator, passed]}`` of a street today (strings)."""
    _plan, targets = selectors.plan_in_force()
    rows = board.evaluate(targets=targets, ctx=Context(month=month), within=street, by="street", parts=[])
    figures = {}
    for row in rows:
        result = row.total
        figures[row.indicator.code] = [
            _text(result.numerator), _text(result.denominator),
            "" if result.rounded is None else str(result.rounded),
            "" if result.figure is None else str(result.figure), result.comparator,
            "" if result.passed is None else ("1" if result.passed else "0"),
        ]
    return figures


def _text(number):
    return "" if number is None else str(Fraction(number))


@transaction.atomic
def approve(*, user, period, note=""):
    """The district approves (审核通过): the street's figures are frozen as the month's official figures."""
    _require_reviewer(user, period)
    period = _locked(period)
    if period.status != Status.SUBMITTED:
        _refuse(_("只有已提交、待审核的月份才能审核通过（当前：%(status)s）。") % {"status": period.get_status_display()})
    unfixed = period.returns.filter(state=ReturnItem.State.OPEN).count()
    if unfixed:
        _refuse(_("还有 %(count)s 条退回事项未修改，不能审核通过。") % {"count": unfixed})
    # Approving is the reviewer's verification of the fixed returns (each closed one in the history).
    fixed = list(period.returns.filter(state=ReturnItem.State.FIXED))
    period.returns.filter(pk__in=[item.pk for item in fixed]).update(
        state=ReturnItem.State.CLOSED, closed_by=user, closed_at=timezone.now())
    for item in fixed:
        _event(period, user, Event.Action.CLOSE, _item_note(item))
    period.frozen = street_figures(period.street, period.month)
    period.status = Status.APPROVED
    period.approved_at, period.approved_by = timezone.now(), user
    period.save()
    _event(period, user, Event.Action.APPROVE, note)
    return period


@transaction.atomic
def accept(*, user, period, note=""):
    """The city accepts (确认) an approved period."""
    scoping.get_for_user(user, Period.objects.all(), pk=period.pk)
    if not permissions.can_accept(user):
        raise PermissionDenied
    period = _locked(period)
    if period.status != Status.APPROVED:
        _refuse(_("只有区县审核通过的月份才能确认（当前：%(status)s）。") % {"status": period.get_status_display()})
    period.status = Status.ACCEPTED
    period.accepted_at = timezone.now()
    period.save()
    _event(period, user, Event.Action.ACCEPT, note)
    return period


@transaction.atomic
def reopen(*, user, period, note=""):
    """The district reopens an approved (or accepted) period so that the street can submit it again."""
    _require_reviewer(user, period)
    period = _locked(period)
    if period.status not in (Status.APPROVED, Status.ACCEPTED):
        _refuse(_("只有已审核通过的月份才需要重新打开（当前：%(status)s）。") % {"status": period.get_status_display()})
    if not (note or "").strip():
        _refuse(_("请说明重新打开的原因。"))
    period.status = Status.REOPENED
    period.save()
    _event(period, user, Event.Action.REOPEN, note)
    return period


def still_failing(item):
    """Whether the return's indicator still fails for its record (True/False), or None without an indicator."""
    if not item.indicator:
        return None
    indicator = INDICATORS[item.indicator]
    _plan, targets = selectors.plan_in_force()
    ctx = Context(month=item.period.month)
    if not indicator.has_units:
        [row] = board.evaluate(targets=targets, ctx=ctx, within=item.street, by="street", parts=[],
                                    codes=[indicator.code])
        return row.total.passed is False
    failing = indicator.units(ctx, item.street, failing_only=True, target=targets.get(indicator.code))
    model = item.content_type.model_class()
    if model is indicator.model:
        return any(unit.obj.pk == item.object_id for unit in failing)
    # The record is not one of the indicator's units (the community named for F4's centres, a centre for F1's
    # communities): it fails while a failing unit stands in the record's division, or over it (E2's street).
    place = _division_of(item.record) if item.record is not None else None
    return place is not None and any(_inside(_division_of(unit.obj), place) for unit in failing)


def _division_of(obj):
    """The division a record stands in (a division is its own)."""
    from core.models import Division
    from core.scoping import division_path

    division = obj
    if not isinstance(obj, Division):
        for part in division_path(type(obj)).split("__"):
            division = getattr(division, part, None)
    return division


def _inside(one, other):
    """Whether one of two divisions is the other or contains it."""
    if one is None:
        return False
    return one.pk == other.pk or one.pk in (other.street_id, other.district_id) or other.pk in (
        one.street_id, one.district_id)


@transaction.atomic
def mark_fixed(*, user, item, note=""):
    """The clerk marks a return fixed; refused while its indicator still fails for the record, unless explained."""
    item = scoping.get_for_user(user, ReturnItem.objects.select_for_update().select_related("period", "street"),
                                pk=item.pk)
    if not (permissions.is_clerk_of(user, item.street_id)):
        raise PermissionDenied
    if item.state != ReturnItem.State.OPEN:
        _refuse(_("只有“待修改”的退回事项才能标记为已修改。"))
    note = (note or "").strip()
    if still_failing(item) and not note:
        _refuse(_("%(record)s 的指标 %(code)s 仍未达标：请先修改记录，或写明不能达标的原因。")
                % {"record": item.record_label, "code": item.indicator})
    item.state = ReturnItem.State.FIXED
    item.fixed_note, item.fixed_by, item.fixed_at = note, user, timezone.now()
    item.save()
    _event(item.period, user, Event.Action.FIX, _item_note(item, note))
    return item


def _item_note(item, note=""):
    """The history's note of a step on a return: its record and indicator, and what the user wrote."""
    what = f"{item.record_label}（{item.indicator}）" if item.indicator else item.record_label
    return f"{what}：{note}" if note else what


@transaction.atomic
def close_item(*, user, item):
    """The reviewer verifies a fixed return and closes it."""
    item = scoping.get_for_user(user, ReturnItem.objects.select_for_update().select_related("street"), pk=item.pk)
    if not (permissions.can_review(user, item.street) or permissions.can_accept(user)):
        raise PermissionDenied
    if item.state != ReturnItem.State.FIXED:
        _refuse(_("只有“已修改，待核实”的退回事项才能核实关闭。"))
    item.state = ReturnItem.State.CLOSED
    item.closed_by, item.closed_at = user, timezone.now()
    item.save()
    _event(item.period, user, Event.Action.CLOSE, _item_note(item))
    return item
