"""Community service centres (社区综合服务设施 / 党群服务中心)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.fields import LocatedQuerySet, Status, phone_field
from core.hours import WeeklyHours, hours_constraints
from core.models import Level, TrackedModel


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


class Centre(WeeklyHours, TrackedModel):
    SCOPE_DIVISION = "community"

    code = models.CharField(_("设施编号"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    community = models.ForeignKey(
        "core.Division",
        verbose_name=_("所属社区"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": Level.COMMUNITY},
        related_name="centres",
    )
    address = models.CharField(_("地址"), max_length=200)
    total_area = models.DecimalField(
        _("总建筑面积（平方米）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    activity_area = models.DecimalField(
        _("居民活动面积（平方米）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0.01)]
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

    objects = CentreQuerySet.as_manager()

    class Meta:
        verbose_name = _("社区综合服务设施")
        verbose_name_plural = _("社区综合服务设施")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(total_area__gt=0), name="centre_total_area_positive"),
            models.CheckConstraint(condition=Q(activity_area__gt=0), name="centre_activity_area_positive"),
            models.CheckConstraint(
                condition=Q(activity_area__lte=F("total_area")), name="centre_activity_within_total"
            ),
            *hours_constraints("centre"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
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
        if errors:
            raise ValidationError(errors)
