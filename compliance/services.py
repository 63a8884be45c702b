"""Writes of the compliance app: snapshots (returns are the reporting cycle's, ``reporting.services``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from compliance.comparison import figures_json
from compliance.models import Snapshot
from core import permissions


def _require_bureau(user):
    if not permissions.can_view_all(user):
        raise PermissionDenied


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
