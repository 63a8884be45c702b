"""The workspace as a to-do list: what the user has to do, most urgent first (``rank``: lower is sooner)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting import rules, selectors, services
from reporting.models import ReturnItem


def _item(rank, level, title, url, count=None):
    return {"rank": rank, "level": level, "title": title, "url": url, "count": count}


def todos_for(user, today=None):
    today = today or timezone.localdate()
    if user.is_clerk:
        return _clerk(user, today)
    if user.is_district_reviewer or user.is_bureau:
        return _reviewer(user, today)
    return []


def _clerk(user, today):
    street = user.division
    items = []
    returns = list(selectors.returns_for(user).filter(state=ReturnItem.State.OPEN))
    overdue = [item for item in returns if item.deadline < today]
    month = services.period_to_submit(today)
    period_url = reverse("reporting:period", args=[street.code, f"{month:%Y-%m}"])
    if overdue:
        items.append(_item(0, "danger", _("%(count)s 条退回事项已逾期") % {"count": len(overdue)}, period_url, len(overdue)))
    if len(returns) > len(overdue):
        items.append(_item(1, "warning", _("%(count)s 条退回事项待修改") % {"count": len(returns) - len(overdue)},
                           period_url, len(returns) - len(overdue)))
    period = selectors.periods_for(user).filter(street=street, month=month).first()
    deadline = services.deadline_for(month)
    if period is None or period.can_submit:
        late = today > deadline
        items.append(_item(0 if late else 2, "danger" if late else "warning", _(
            "%(month)s 数据待提交，截止 %(deadline)s%(late)s") % {
                "month": f"{month:%Y-%m}", "deadline": deadline.isoformat(), "late": _("（已逾期）") if late else ""},
            period_url))
    issues = rules.street_issues(street)
    errors = sum(issue.is_error for issue in issues)
    if errors:
        items.append(_item(3, "danger", _("%(count)s 个数据校验错误") % {"count": errors}, period_url, errors))
    items.extend(_records(user, street, today))
    return sorted(items, key=lambda item: item["rank"])


def _records(user, street, today):
    """Failing indicators, unvisited elderly, unverified centres and expiring registrations of the street."""
    from compliance import board
    from compliance import selectors as compliance
    from compliance.kinds import Context
    from core.dates import last_full_month
    from eldercare import selectors as eldercare
    from volunteers import selectors as volunteers

    items = []
    _plan, targets = compliance.plan_in_force()
    rows = board.evaluate(targets=targets, ctx=Context(month=last_full_month(today)), within=street,
                               by="street", parts=[])
    failing = [row.indicator.code for row in rows if row.total.passed is False]
    if failing:
        items.append(_item(4, "warning", _("本街道未达标指标：%(codes)s") % {"codes": "、".join(failing)},
                           reverse("compliance:street", args=[street.code]), len(failing)))
    unvisited = len(eldercare.unvisited_elders(user, street, today))
    if unvisited:
        items.append(_item(5, "info", _("本月尚未探访的特殊困难老年人 %(count)s 人") % {"count": unvisited},
                           reverse("eldercare:visits_todo"), unvisited))
    quality = compliance.data_quality(street, today)
    if quality["unverified"]:
        items.append(_item(6, "info", _("%(count)s 个设施超过 %(days)s 天未核实") % {
            "count": len(quality["unverified"]), "days": settings.VERIFICATION_MAX_AGE_DAYS},
            reverse("compliance:street", args=[street.code]), len(quality["unverified"])))
    due = len(volunteers.registrations_due(user, street, today=today))
    if due:
        items.append(_item(7, "info", _("%(count)s 名社工登记即将到期或已过期") % {"count": due},
                           reverse("volunteers:deadlines"), due))
    return items


def _reviewer(user, today):
    items = []
    waiting = selectors.waiting_for(user).count()
    if waiting:
        title = (_("%(count)s 个街道月份等待审核") if user.is_district_reviewer else _("%(count)s 个街道月份等待市级确认"))
        items.append(_item(1, "warning", title % {"count": waiting}, reverse("reporting:home"), waiting))
    changed = len(selectors.changed_after_approval(user))
    if changed:
        items.append(_item(1, "warning", _("%(count)s 个已审核通过的街道月份审核后修改，须重新打开") % {"count": changed},
                           reverse("reporting:home") + "#changed-after-approval", changed))
    returns = selectors.returns_for(user)
    overdue = returns.filter(state=ReturnItem.State.OPEN, deadline__lt=today).count()
    if overdue:
        items.append(_item(0, "danger", _("%(count)s 条退回事项已逾期未修改") % {"count": overdue},
                           reverse("reporting:home"), overdue))
    fixed = returns.filter(state=ReturnItem.State.FIXED).count()
    if fixed:
        items.append(_item(2, "info", _("%(count)s 条退回事项已修改，待核实") % {"count": fixed},
                           reverse("reporting:home"), fixed))
    return sorted(items, key=lambda item: item["rank"])

