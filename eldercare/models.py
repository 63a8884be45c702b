"""Eldercare: facilities of three kinds, special-difficulty elderly and their visits."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.dates import month_bounds
from core.fields import (
    LocatedQuerySet,
    Status,
    location_pair_constraint,
    location_pair_errors,
    phone_field,
    validate_record_code,
)
from core.geo import latitude_row
from core.hours import WEEKDAY_FIELDS, WEEKDAY_LABELS, WeeklyHours, hours_constraints
from core.models import Level, TrackedModel
from core.search_text import Searchable

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_digit(first17):
    """GB 11643: the 18th character of a resident ID number."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value):
    text = (value or "").strip().upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", text):  # ASCII only: str.isdigit() accepts ¹ and ０
        raise ValidationError(
            _("身份证号应为 18 位（最后一位可为 X），“%(value)s”不是。"), code="id_shape", params={"value": value}
        )
    if id_check_digit(text[:17]) != text[17]:
        raise ValidationError(
            _("身份证号 %(value)s 的校验位不对（按 GB 11643 应为 %(digit)s），请核对。"),
            code="id_check_digit",
            params={"value": value, "digit": id_check_digit(text[:17])},
        )


HOURS_FIELD_LABELS = {**dict(zip(WEEKDAY_FIELDS, WEEKDAY_LABELS, strict=True)), "hours_holiday": _("节假日")}


def _with_hours_messages(constraints):
    """The shared opening-hour checks, each saying in Chinese which day is wrong and how."""
    for constraint in constraints:
        field = next(name for name in HOURS_FIELD_LABELS if f"_{name}_" in constraint.name)
        constraint.violation_error_message = _hours_message(HOURS_FIELD_LABELS[field])
    return constraints


def _hours_message_text(day):
    return _("%(day)s开放时间不对：应为 08:30-11:30 这样的时段，最多两个，按时间先后且不重叠。") % {"day": day}


_hours_message = lazy(_hours_message_text, str)


class ClosedList(models.Model):
    """A national closed list kept as rows (so that records can link to several entries): ``code`` is a
    ``TextChoices`` value, ``ordering`` the list's order; the rows are loaded by a migration."""

    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        abstract = True
        ordering = ["ordering"]

    def __str__(self):
        # get_code_display(), without hashing (so translating) every label of the list for the one shown:
        # a <select> of the list called it per option, a translation per choice per option.
        for value, label in self._meta.get_field("code").flatchoices:
            if value == self.code:
                return str(label)
        return str(self.code)


class CareService(ClosedList):
    """One of the "ten helps" (十助)."""

    class Code(models.TextChoices):
        MEALS = "meals", _("助餐")
        BATHING = "bathing", _("助浴")
        MEDICAL = "medical", _("助医")
        CLEANING = "cleaning", _("助洁")
        EMERGENCY = "emergency", _("助急")
        MOBILITY = "mobility", _("助行")
        SHOPPING = "shopping", _("助购")
        RECREATION = "recreation", _("助乐")
        COMPANIONSHIP = "companionship", _("助聊")
        LEARNING = "learning", _("助学")

    code = models.CharField(_("代码"), max_length=20, choices=Code.choices, unique=True)

    class Meta(ClosedList.Meta):
        verbose_name = _("养老服务项目")
        verbose_name_plural = _("养老服务项目")


class ElderCategory(ClosedList):
    """A category of special-difficulty elderly (001 兜底 list)."""

    class Code(models.TextChoices):
        ALONE = "alone", _("独居")
        EMPTY_NEST = "empty_nest", _("空巢")
        LEFT_BEHIND = "left_behind", _("留守")
        DISABLED = "disabled", _("失能")
        SEVERELY_HANDICAPPED = "severely_handicapped", _("重残")
        VERY_OLD = "very_old", _("高龄")
        FAMILY_PLANNING = "family_planning", _("计划生育特殊家庭")
        EXTREME_POVERTY = "extreme_poverty", _("特困")
        WIDOWED_CHILDLESS = "widowed_childless", _("孤寡")
        DEMENTIA = "dementia", _("失智")

    code = models.CharField(_("代码"), max_length=25, choices=Code.choices, unique=True)

    class Meta(ClosedList.Meta):
        verbose_name = _("特殊困难老年人类别")
        verbose_name_plural = _("特殊困难老年人类别")


class FacilityKind(models.TextChoices):
    DAYCARE = "daycare", _("日间照料中心")
    STREET_CENTRE = "street_centre", _("综合养老服务中心")
    INSTITUTION = "institution", _("养老机构")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("公办")
    PRIVATE = "private", _("民办")


#: The kinds that can be comprehensive: a 敬老院 grown into a regional centre counts as well (001 专栏6-04).
COMPREHENSIVE_KINDS = (FacilityKind.STREET_CENTRE, FacilityKind.INSTITUTION)
#: The four functions of a comprehensive facility: 全托、日托、上门服务、对下指导.
COMPREHENSIVE_FUNCTIONS = ("full_care", "day_care", "home_visits", "guidance")
COMPREHENSIVE = Q(kind__in=COMPREHENSIVE_KINDS, **dict.fromkeys(COMPREHENSIVE_FUNCTIONS, True))


class FacilityQuerySet(LocatedQuerySet):
    def comprehensive(self):
        """具备综合功能的养老服务机构: street centres and institutions with all four functions (E2/E3)."""
        return self.filter(COMPREHENSIVE)

    def institutions(self):
        """养老机构 (E1, E6, E8): not the day-care or community centres."""
        return self.filter(kind=FacilityKind.INSTITUTION)


class Facility(Searchable, WeeklyHours, TrackedModel):
    SCOPE_DIVISION = "division"

    code = models.CharField(_("设施编号"), max_length=30, unique=True, validators=[validate_record_code])
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=FacilityKind.choices)
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="eldercare_facilities",
        help_text=_("日间照料中心填社区，综合养老服务中心填街道乡镇，养老机构两者皆可。"),
    )
    address = models.CharField(_("地址"), max_length=200)
    beds = models.PositiveIntegerField(_("床位数"), default=0)
    nursing_beds = models.PositiveIntegerField(_("护理型床位数"), default=0)
    ownership = models.CharField(_("性质"), max_length=10, choices=Ownership.choices, default=Ownership.PRIVATE)
    full_care = models.BooleanField(_("全托"), default=False)
    day_care = models.BooleanField(_("日托"), default=False)
    home_visits = models.BooleanField(_("上门服务"), default=False)
    guidance = models.BooleanField(_("对下指导"), default=False)
    services = models.ManyToManyField(CareService, verbose_name=_("服务项目"), blank=True, related_name="facilities")
    latitude = models.FloatField(
        _("纬度"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("经度"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    phone = phone_field()
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.OPERATING)
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

    objects = FacilityQuerySet.as_manager()

    # The residents' one search (core.search_text): name, address, division; kind and helps by code.
    SEARCH_DIVISION, SEARCH_MANY = "division", "services"
    SEARCH_CODES, SEARCH_MANY_CODES = ("kind",), True  # the kind and the ten helps by code (their labels are translated)

    class Meta:
        verbose_name = _("养老服务设施")
        verbose_name_plural = _("养老服务设施")
        ordering = ["code"]
        indexes = [
            # E7: the facilities that count for it by grid row of latitude, then longitude (core.geo):
            # a community's box is three short index ranges, and the haversine reads the index alone.
            models.Index(
                latitude_row(F("latitude")), F("longitude"), F("latitude"), name="facility_care_grid",
                condition=Q(status=Status.OPERATING, kind__in=[FacilityKind.DAYCARE, FacilityKind.STREET_CENTRE]),
            ),
            # The nearest page's "（本区）另有 N 处设施未登记坐标": the district's divisions, each a probe of this index
            # (a few entries), not a count of the whole city's.
            models.Index(
                fields=["division"], name="facility_care_unlocated",
                condition=Q(status=Status.OPERATING, kind__in=[FacilityKind.DAYCARE, FacilityKind.STREET_CENTRE])
                & (Q(latitude__isnull=True) | Q(longitude__isnull=True)),
            ),
            # The public list's order (kind, code) among operating facilities.
            models.Index(fields=["kind", "code"], include=["id"], condition=Q(status=Status.OPERATING),
                         name="facility_public_order"),  # with the ids: its pages are index-only scans
            # The one search's order (kind, division, code): a word matching thousands reads the first few.
            models.Index(fields=["kind", "division", "code"], condition=Q(status=Status.OPERATING),
                         name="facility_search_order"),
            # Residents' "near me": every operating facility by the same grid (portal.nearby).
            models.Index(
                latitude_row(F("latitude")), F("longitude"), name="facility_public_grid",
                condition=Q(status=Status.OPERATING),
            ),
            # E2/E3/E4 ("has an operating facility of this kind") by division.
            models.Index(fields=["division", "kind"], condition=Q(status=Status.OPERATING), name="facility_operating"),
        ]
        constraints = [
            location_pair_constraint("eldercare_facility_location_pair"),
            models.CheckConstraint(
                condition=Q(nursing_beds__lte=F("beds")),
                name="eldercare_nursing_within_beds",
                violation_error_message=_("护理型床位数不能大于床位数。"),
            ),
            *_with_hours_messages(hours_constraints("eldercare_facility")),
        ]

    def __str__(self):
        return self.name

    @property
    def is_comprehensive(self):
        """The same rule as ``FacilityQuerySet.comprehensive`` for one record in memory."""
        return self.kind in COMPREHENSIVE_KINDS and all(getattr(self, name) for name in COMPREHENSIVE_FUNCTIONS)

    def clean(self):
        super().clean()
        errors = {}
        try:
            self.clean_hours()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.beds is not None and self.nursing_beds is not None and self.nursing_beds > self.beds:
            errors["nursing_beds"] = _("护理型床位数 %(nursing)s 大于床位数 %(beds)s。") % {
                "nursing": self.nursing_beds, "beds": self.beds,
            }
        if self.division_id:
            level = self.division.level
            if self.kind == FacilityKind.DAYCARE and level != Level.COMMUNITY:
                errors["division"] = _("日间照料中心必须属于一个社区或村。")
            elif self.kind == FacilityKind.STREET_CENTRE and level != Level.STREET:
                errors["division"] = _("综合养老服务中心必须属于一个街道或乡镇。")
            elif self.kind == FacilityKind.INSTITUTION and level == Level.DISTRICT:
                errors["division"] = _("养老机构应属于一个街道乡镇或社区村。")
        errors.update(location_pair_errors(self))
        if errors:
            raise ValidationError(errors)


class VisitQuerySet(models.QuerySet):
    def in_month(self, month):
        """Visits dated in ``month`` (a date in it or "YYYY-MM"), in person or by phone: E5's visited month."""
        return self.filter(visited_on__range=month_bounds(month))


class Elder(TrackedModel):
    """A registered special-difficulty elderly person (特殊困难老年人). Personal data: never public."""

    SCOPE_DIVISION = "community"

    Category = ElderCategory.Code

    code = models.CharField(_("老人编号"), max_length=30, unique=True, validators=[validate_record_code])
    name = models.CharField(_("姓名"), max_length=50)
    community = models.ForeignKey(
        "core.Division",
        verbose_name=_("所属社区"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": Level.COMMUNITY},
        related_name="elders",
    )
    categories = models.ManyToManyField(
        ElderCategory, verbose_name=_("类别"), related_name="elders",
        help_text=_("可多选：一位老人可以同时是独居、失能、高龄等。"),
    )
    id_number = models.CharField(_("身份证号"), max_length=18, validators=[validate_id_number])
    phone = phone_field()
    registered_on = models.DateField(
        _("登记日期"), null=True, blank=True, help_text=_("纳入特殊困难老年人名册的日期；探访日期不能早于它。"),
    )

    class Meta:
        verbose_name = _("特殊困难老年人")
        verbose_name_plural = _("特殊困难老年人")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        super().clean()
        self.id_number = (self.id_number or "").strip().upper()
        if self.community_id and self.community.level != Level.COMMUNITY:
            raise ValidationError({"community": _("特殊困难老年人必须登记在一个社区或村。")})


class Visit(TrackedModel):
    """A visit to an elder; identified by (elder, date, visitor, method)."""

    SCOPE_DIVISION = "elder__community"

    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("上门")
        PHONE = "phone", _("电话")

    elder = models.ForeignKey(Elder, verbose_name=_("老人"), on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("探访日期"))
    visitor = models.CharField(_("探访人"), max_length=50)
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices, default=Method.IN_PERSON)
    note = models.CharField(_("备注"), max_length=200, blank=True, help_text=_("如老人近况、需要跟进的事项。"))

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("探访记录")
        verbose_name_plural = _("探访记录")
        ordering = ["-visited_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["elder", "visited_on", "visitor", "method"],
                name="visit_identity",
                violation_error_message=_("同一老人同一天已有这位探访人以同一方式的探访记录。"),
            ),
        ]
        indexes = [models.Index(fields=["visited_on", "elder"])]

    def __str__(self):
        return f"{self.elder.code} {self.visited_on:%Y-%m-%d} {self.visitor}"


class ElderAccessLog(models.Model):
    """Who saw an elder's unmasked record, and when (personal-data audit trail)."""

    SCOPE_DIVISION = "elder__community"

    class Channel(models.TextChoices):
        ADMIN = "admin", _("后台修改页")
        HISTORY = "history", _("后台历史记录")
        PAGE = "page", _("详情页")
        REVEAL = "reveal", _("探访待办：查看完整电话")

    elder = models.ForeignKey(Elder, verbose_name=_("老人"), on_delete=models.CASCADE, related_name="access_logs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    viewed_at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("查看途径"), max_length=10, choices=Channel.choices, default=Channel.ADMIN)
    path = models.CharField(_("页面地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("老人信息查看记录")
        verbose_name_plural = _("老人信息查看记录")
        ordering = ["-viewed_at", "-pk"]

    def __str__(self):
        return f"{self.user} → {self.elder.code} @ {self.viewed_at:%Y-%m-%d %H:%M}"
