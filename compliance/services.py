"""Writes of the compliance app: returning a street's data, fixing and closing returns, snapshots."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.comparison import figures_json
from compliance.models import CorrectionRequest, Snapshot
from core import permissions, scoping
from core.models import Level


def _require_bureau(user):
    if not permissions.can_view_all(user):
        raise PermissionDenied


def _street_clerk(user, correction):
    return user.is_clerk and user.division_id == correction.street_id


def may_fix(user, correction):
    """A clerk of the street may mark its open return as fixed (``mark_fixed``)."""
    return _street_clerk(user, correction) and correction.status == CorrectionRequest.Status.OPEN


def may_close(user, correction):
    """The bureau may close a return that is not closed yet (``close``)."""
    return permissions.can_view_all(user) and correction.status != CorrectionRequest.Status.CLOSED


@transaction.atomic
def return_for_correction(*, user, street, comment, indicator=""):
    """A reviewer returns a street's data with a comment (status 待修改)."""
    _require_bureau(user)
    if street.level != Level.STREET:
        raise ValidationError({"street": _("只能退回街道乡镇的数据。")})
    request = CorrectionRequest(street=street, comment=(comment or "").strip(), indicator=indicator, created_by=user)
    if not request.comment:
        raise ValidationError({"comment": _("请填写退回意见：哪项数据需要修改、为什么。")})
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def mark_fixed(*, user, correction, note=""):
    """A clerk of the street marks an open return as fixed."""
    correction = scoping.get_for_user(user, CorrectionRequest.objects.select_for_update(), pk=correction.pk)
    if not _street_clerk(user, correction):
        raise PermissionDenied
    if correction.status != CorrectionRequest.Status.OPEN:
        raise ValidationError({"status": _("只有“待修改”的退回才能标记为已修改。")})
    correction.status = CorrectionRequest.Status.FIXED
    correction.fixed_by, correction.fixed_at, correction.fixed_note = user, timezone.now(), (note or "").strip()
    correction.save()
    return correction


@transaction.atomic
def close(*, user, correction):
    """The bureau closes a return once the correction is checked."""
    _require_bureau(user)
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if correction.status == CorrectionRequest.Status.CLOSED:
        raise ValidationError({"status": _("该退回已关闭。")})
    correction.status = CorrectionRequest.Status.CLOSED
    correction.closed_by, correction.closed_at = user, timezone.now()
    correction.save()
    return correction


@transaction.atomic
def freeze(*, user, name, plan, ctx, rows):
    _require_bureau(user)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写快照名称，如“2023 中期评估”。")})
    if Snapshot.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有名为“%(name)s”的快照，请换一个名称。") % {"name": name}})
    return Snapshot.objects.create(
        name=name, plan_name=plan.name if plan else "", month=f"{ctx.month:%Y-%m}", data=figures_json(rows),
        created_by=user,
    )
