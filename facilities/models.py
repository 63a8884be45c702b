"""Community service centres (社区综合服务设施 / 党群服务中心)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.fields import (
    PHONE_REGEX,
    LocatedQuerySet,
    Status,
    location_pair_constraint,
    location_pair_errors,
    normalise_phone,
    phone_field,
    validate_record_code,
)
from core.geo import latitude_row
from core.hours import WEEKDAY_FIELDS, WEEKDAY_LABELS, WeeklyHours, hours_constraints
from core.models import Level, TrackedModel
from core.search_text import Searchable


class Service(models.Model):
    """A service a centre can offer, from a list the bureau manages."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        ordering = ["ordering", "name"]

    def __str__(self):
        return self.name


class CentreQuerySet(LocatedQuerySet):
    pass


_DAY_LABELS = dict(zip(WEEKDAY_FIELDS, WEEKDAY_LABELS, strict=True)) | {"hours_holiday": _("节假日")}
_HOURS_MESSAGES = {
    "format": _("{day}开放时间格式不正确：应为一到两个 HH:MM-HH:MM 时段，用逗号分隔，或留空表示休息。"),
    "first_order": _("{day}开放时间：第一个时段的结束时间应晚于开始时间。"),
    "second_order": _("{day}开放时间：第二个时段应在第一个时段结束后开始，且结束时间晚于开始时间。"),
}


def _centre_hours_constraints():
    """The shared hours checks, each with a message naming the day, so a database refusal reads well."""
    constraints = []
    for constraint in hours_constraints("centre"):
        field = next(field for field in _DAY_LABELS if constraint.name.startswith(f"centre_{field}_"))
        rule = constraint.name.removeprefix(f"centre_{field}_")
        message = format_lazy(_HOURS_MESSAGES[rule], day=_DAY_LABELS[field])
        constraints.append(
            models.CheckConstraint(condition=constraint.condition, name=constraint.name, violation_error_message=message)
        )
    return constraints


class Centre(Searchable, WeeklyHours, TrackedModel):
    SCOPE_DIVISION = "community"

    code = models.CharField(_("设施编号"), max_length=30, unique=True, validators=[validate_record_code])
    name = models.CharField(_("名称"), max_length=100)
    community = models.ForeignKey(
        "core.Division",
        verbose_name=_("所属社区"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": Level.COMMUNITY},
        related_name="centres",
    )
    # The community's code, kept by the database (core.community_codes): the public list's order, on an index.
    # Nullable so that SQLite adds the column in place (a rebuilt table trips the triggers that name it).
    community_code = models.CharField(_("所属社区代码"), max_length=12, null=True, editable=False)
    address = models.CharField(_("地址"), max_length=200)
    total_area = models.DecimalField(
        _("总建筑面积（平方米）"),
        max_digits=10,
        decimal_places=2,
        # A Decimal bound: the float 0.01 is a hair above Decimal("0.01") and would refuse exactly 0.01 m².
        validators=[MinValueValidator(Decimal("0.01"), message=_("总建筑面积必须大于 0 平方米。"))],
    )
    activity_area = models.DecimalField(
        _("居民活动面积（平方米）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("居民活动面积必须大于 0 平方米。"))],
    )
    has_volunteer_station = models.BooleanField(_("志愿服务站点"), default=False)
    has_social_work_point = models.BooleanField(_("社会工作服务点"), default=False)
    has_self_service_terminal = models.BooleanField(_("政务自助服务"), default=False)
    phone = phone_field()
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.OPERATING)
    services = models.ManyToManyField(Service, verbose_name=_("服务项目"), blank=True, related_name="centres")
    latitude = models.FloatField(
        _("纬度"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("经度"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    verified_on = models.DateField(_("核实日期"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    search_text = models.TextField(_("检索文本"), blank=True, default="", editable=False)

    objects = CentreQuerySet.as_manager()

    # The residents' one search (core.search_text): name, address, community and services.
    SEARCH_DIVISION, SEARCH_MANY = "community", "services"

    class Meta:
        verbose_name = _("社区综合服务设施")
        verbose_name_plural = _("社区综合服务设施")
        ordering = ["code"]
        # F1/F2 ("has an operating centre") and F3 read operating centres by community, and the centre-area rule
        # (reporting.rules) sums their areas by community for a whole city: index-only scans (0.3 s → 73 ms at 40×).
        indexes = [
            models.Index(fields=["community", "total_area"], condition=Q(status=Status.OPERATING),
                         name="centre_operating_area"),
            # The residents' list: operating centres by community code, then code (its pages, the last included),
            # an index-only scan with the ids (INCLUDE: on PostgreSQL; settings.SILENCED_SYSTEM_CHECKS).
            models.Index(fields=["community_code", "code"], include=["id"], condition=Q(status=Status.OPERATING),
                         name="centre_public_order"),
            # Residents' "near me" (portal.nearby): operating centres by grid row of latitude, then longitude.
            models.Index(
                latitude_row(F("latitude")), F("longitude"), name="centre_public_grid",
                condition=Q(status=Status.OPERATING),
            ),
        ]
        constraints = [
            location_pair_constraint("centre_location_pair"),
            models.CheckConstraint(
                condition=Q(total_area__gt=0),
                name="centre_total_area_positive",
                violation_error_message=_("总建筑面积必须大于 0 平方米。"),
            ),
            models.CheckConstraint(
                condition=Q(activity_area__gt=0),
                name="centre_activity_area_positive",
                violation_error_message=_("居民活动面积必须大于 0 平方米。"),
            ),
            models.CheckConstraint(
                condition=Q(activity_area__lte=F("total_area")),
                name="centre_activity_within_total",
                violation_error_message=_("居民活动面积不能大于总建筑面积。"),
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=PHONE_REGEX.pattern),
                name="centre_phone_format",
                violation_error_message=_("联系电话不像电话号码：手机号为 11 位（如 13812345678），固话如 0467-2345678。"),
            ),
            *_centre_hours_constraints(),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.phone = normalise_phone(self.phone)
        errors = {}
        try:
            self.clean_hours()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.total_area is not None and self.activity_area is not None and self.activity_area > self.total_area:
            errors["activity_area"] = _("居民活动面积 %(activity)s 平方米大于总建筑面积 %(total)s 平方米。") % {
                "activity": self.activity_area, "total": self.total_area,
            }
        if self.community_id and self.community.level != Level.COMMUNITY:
            errors["community"] = _("社区综合服务设施必须属于一个社区或村。")
        errors.update(location_pair_errors(self))
        if errors:
            raise ValidationError(errors)

    def prepare_for_bulk(self):
        # Stored as typed minus spaces and full-width dashes, so the database check sees one form.
        self.phone = normalise_phone(self.phone)
        super().prepare_for_bulk()
