"""Administrative divisions, accounts and what every record of the portal shares."""

import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.fields import location_pair_constraint, location_pair_errors
from core.geo import latitude_row
from core.history import HistoryBase, TrackedHistory

CODE_REGEX = r"^[0-9]{12}$"


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市州")
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道乡镇")
    COMMUNITY = "community", _("社区村")


class Kind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市州")
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道")
    TOWN = "town", _("乡镇")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")


KIND_LEVEL = {
    Kind.PROVINCE: Level.PROVINCE,
    Kind.CITY: Level.CITY,
    Kind.DISTRICT: Level.DISTRICT,
    Kind.STREET: Level.STREET,
    Kind.TOWN: Level.STREET,
    Kind.COMMUNITY: Level.COMMUNITY,
    Kind.VILLAGE: Level.COMMUNITY,
}
PARENT_LEVEL = {
    Level.CITY: Level.PROVINCE, Level.DISTRICT: Level.CITY, Level.STREET: Level.DISTRICT, Level.COMMUNITY: Level.STREET,
}
#: A city's and a district's parent may be absent: a one-city deployment needs no province, and the
#: districts of a deployment made before cities existed have none until the data migration gives them one.
OPTIONAL_PARENT = {Level.PROVINCE, Level.CITY, Level.DISTRICT}
SIGNIFICANT_DIGITS = {Level.PROVINCE: 2, Level.CITY: 4, Level.DISTRICT: 6, Level.STREET: 9, Level.COMMUNITY: 12}
#: Top down: the order in which a board descends (province → city → district → street → community).
LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.DISTRICT, Level.STREET, Level.COMMUNITY]
CHILD_LEVEL = dict(zip(LEVEL_ORDER, LEVEL_ORDER[1:], strict=False))


def code_level(code):
    """The level a well-formed 12-digit code has by its shape, or None."""
    if not re.fullmatch(r"\d{12}", code or ""):
        return None
    if code.endswith("0000000000"):
        return Level.PROVINCE
    if code.endswith("00000000"):
        return Level.CITY
    if code.endswith("000000"):
        return Level.DISTRICT
    if code.endswith("000"):
        return Level.STREET
    return Level.COMMUNITY


def validate_division_code(value):
    if not re.fullmatch(r"\d{12}", value or ""):
        raise ValidationError(_("区划代码应为 12 位数字，“%(value)s”不是。"), code="invalid_code", params={"value": value})


#: The denormalised ancestor field that points at a division of each level (communities have none below them).
ANCESTOR_FIELD = {
    Level.PROVINCE: "province", Level.CITY: "city", Level.DISTRICT: "district", Level.STREET: "street",
}


def ancestor_code(code, level):
    """The code of ``code``'s ancestor at ``level`` (``230302001001`` → city ``230300000000``)."""
    digits = SIGNIFICANT_DIGITS[level]
    return code[:digits] + "0" * (12 - digits)


class DivisionQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(level=Level.PROVINCE)

    def cities(self):
        return self.filter(level=Level.CITY)

    def districts(self):
        return self.filter(level=Level.DISTRICT)

    def streets(self):
        return self.filter(level=Level.STREET)

    def communities(self):
        return self.filter(level=Level.COMMUNITY)

    def urban(self):
        return self.filter(kind__in=[Kind.STREET, Kind.COMMUNITY])

    def rural(self):
        return self.filter(kind__in=[Kind.TOWN, Kind.VILLAGE])

    def within(self, division):
        """The division itself and everything below it (None: the deployment's whole area)."""
        if division is None:
            return self.all()
        if division.level in ANCESTOR_FIELD:
            return self.filter(Q(pk=division.pk) | Q(**{ANCESTOR_FIELD[division.level]: division}))
        return self.filter(pk=division.pk)


class TrackedModel(models.Model):
    """Abstract base of every record people edit.

    ``version`` is the optimistic-locking token (no lost updates) and
    ``history`` the audit trail; ``import_batch`` on each history row links a
    change to the workbook import that made it.
    """

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    # ``community_code`` (core.community_codes) is the database's copy of the community's code, for sorting.
    history = TrackedHistory(inherit=True, bases=[HistoryBase], excluded_fields=["community_code"])

    class Meta:
        abstract = True

    def prepare_for_bulk(self):
        """Derive the stored fields ``save()`` keeps in step (shortest day, ancestors, normal forms).

        ``save()`` calls it; so do bulk writers (the workbook import), which send no ``save()``.
        Subclasses extend it and call ``super()``.
        """

    def save(self, *args, **kwargs):
        self.prepare_for_bulk()
        super().save(*args, **kwargs)


class Division(TrackedModel):
    """A province, city, district/county, street/town or community/village with its statistical code."""

    SCOPE_DIVISION = ""  # core.scoping: a division is its own scope

    code = models.CharField(_("区划代码"), max_length=12, unique=True, validators=[validate_division_code])
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, editable=False)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Denormalised ancestors, kept by save(), so scoping and per-district sums are one join.
    province = models.ForeignKey(
        "self", verbose_name=_("所属省"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )
    city = models.ForeignKey(
        "self", verbose_name=_("所属市州"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )
    district = models.ForeignKey(
        "self", verbose_name=_("所属区县"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )
    street = models.ForeignKey(
        "self", verbose_name=_("所属街道乡镇"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    population = models.PositiveIntegerField(_("常住人口"), null=True, blank=True)
    population_60plus = models.PositiveIntegerField(_("60岁以上人口"), null=True, blank=True)
    latitude = models.FloatField(
        _("纬度"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("经度"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        # One level in code order (the district <select>, a level's board): at a province's 66,000
        # divisions the code index alone filters ~10,000 rows to find the first 61 districts (4 ms).
        indexes = [
            models.Index(fields=["level", "code"], name="division_level_code"),
            # The nearest search's steps (eldercare.selectors.around): a district's streets and a street's
            # communities, by code with their names, read from the index alone.
            models.Index(fields=["district", "level", "code"], include=["name", "id"],
                         name="division_district_parts"),  # and the ids: the unplaced facilities of a district
            models.Index(fields=["street", "level", "code"], include=["name"], name="division_street_parts"),
            # Residents' "near me" (portal.nearby): teams are placed at their community, found by the grid
            # of core.geo as centres and facilities are (a seq scan of the province's divisions before).
            models.Index(latitude_row(F("latitude")), F("longitude"), name="community_grid",
                         condition=Q(level=Level.COMMUNITY)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=CODE_REGEX),
                name="division_code_12_digits",
                violation_error_message=_("区划代码应为 12 位数字。"),
            ),
            models.CheckConstraint(
                condition=~Q(level=Level.COMMUNITY) | Q(households__isnull=False, households__gte=1),
                name="division_community_households",
                violation_error_message=_("社区村的户数至少为 1。"),
            ),
            models.CheckConstraint(
                condition=Q(level__in=[Level.PROVINCE, Level.CITY, Level.DISTRICT], parent__isnull=True)
                | Q(parent__isnull=False),
                name="division_parent_required",
                violation_error_message=_("街道乡镇和社区村必须有上级区划。"),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="division_location_range",
                violation_error_message=_("纬度和经度须同时填写，且在有效范围内。"),
            ),
            location_pair_constraint("division_location_pair"),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def is_urban(self):
        return self.kind in (Kind.STREET, Kind.COMMUNITY)

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    def resolve_ancestors(self):
        """Set level and the denormalised ancestors (province, city, district, street) from kind and parent."""
        self.level = KIND_LEVEL.get(self.kind, self.level)
        parent = self.parent if self.parent_id else None
        # The parent's own ancestors, plus the parent itself at its level.
        above = {field: getattr(parent, f"{field}_id", None) for field in ANCESTOR_FIELD.values()}
        if parent is not None and parent.level in ANCESTOR_FIELD:
            above[ANCESTOR_FIELD[parent.level]] = parent.pk
        mine = LEVEL_ORDER.index(self.level) if self.level in LEVEL_ORDER else len(LEVEL_ORDER)
        for level, field in ANCESTOR_FIELD.items():
            # Only levels above this division's own; its own level and below are empty.
            setattr(self, f"{field}_id", above[field] if LEVEL_ORDER.index(level) < mine else None)

    def descendants_follow(self):
        """After a city's or a district's parent changed: its descendants' denormalised ancestors follow."""
        field = ANCESTOR_FIELD.get(self.level)
        if field is None or self.level == Level.STREET:
            return
        upper = {name: getattr(self, f"{name}_id") for level, name in ANCESTOR_FIELD.items()
                 if LEVEL_ORDER.index(level) < LEVEL_ORDER.index(self.level)}
        if upper:
            Division.objects.filter(**{field: self}).update(**{f"{name}_id": value for name, value in upper.items()})

    def clean(self):
        super().clean()
        self.resolve_ancestors()
        errors = {}
        level = KIND_LEVEL.get(self.kind)
        shape = code_level(self.code)
        if self.code and shape is None:
            errors["code"] = _("区划代码应为 12 位数字，“%(value)s”不是。") % {"value": self.code}
        elif level and shape and shape != level:
            errors["code"] = _("区划代码 %(code)s 的形状是%(shape)s，与类型“%(kind)s”不符（区县后六位为 0，街道乡镇后三位为 0）。") % {
                "code": self.code, "shape": Level(shape).label, "kind": Kind(self.kind).label,
            }
        if level is not None:
            self._check_parent(level, shape, errors)
        if level == Level.COMMUNITY and (self.households is None or self.households < 1):
            errors["households"] = _("社区村的户数至少为 1。")
        errors.update(location_pair_errors(self))
        if errors:
            raise ValidationError(errors)

    def _check_parent(self, level, shape, errors):
        """A province has no parent; a city's is a province, a district's a city (both may have none: a
        one-city deployment, or one made before cities existed), a street's a district, a community's a
        street, whose code it extends."""
        if level == Level.PROVINCE:
            if self.parent_id:
                errors["parent"] = _("省没有上级区划。")
            return
        parent = self.parent if self.parent_id else None
        if parent is None and level in OPTIONAL_PARENT:
            return
        if parent is None:
            errors["parent"] = _("请选择上级区划（%(level)s）。") % {"level": Level(PARENT_LEVEL[level]).label}
        elif parent.level != PARENT_LEVEL[level]:
            errors["parent"] = _("上级区划应为%(level)s，“%(parent)s”不是。") % {
                "level": Level(PARENT_LEVEL[level]).label, "parent": parent.name,
            }
        elif self.code and shape:
            digits = SIGNIFICANT_DIGITS[parent.level]
            if self.code[:digits] != parent.code[:digits]:
                errors["code"] = _("区划代码 %(code)s 应以上级区划“%(parent)s”的代码前 %(digits)s 位 %(prefix)s 开头。") % {
                    "code": self.code, "parent": parent.name, "digits": digits, "prefix": parent.code[:digits],
                }

    def prepare_for_bulk(self):
        self.resolve_ancestors()
        super().prepare_for_bulk()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.level in (Level.CITY, Level.DISTRICT):
            self.descendants_follow()


class Role(models.TextChoices):
    CLERK = "clerk", _("街道填报员")
    REVIEWER = "reviewer", _("市民政局审核员")
    ADMIN = "admin", _("民政局管理员")
    DISTRICT = "district", _("区县民政局审核员")
    PROVINCE = "province", _("省民政厅审核员")


class User(AbstractUser):
    """A portal account: a street clerk of one street/town, or bureau staff."""

    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.CLERK)
    division = models.ForeignKey(
        Division,
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level__in": [Level.STREET, Level.DISTRICT, Level.CITY, Level.PROVINCE]},
        related_name="clerks",
        help_text=_("街道填报员属于一个街道或乡镇，区县民政局审核员属于一个区县，市民政局审核员属于一个市州（留空为整个平台），"
                    "省民政厅审核员属于一个省。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="clerk") | Q(division__isnull=False),
                name="user_clerk_has_street",
                violation_error_message=_("街道填报员必须选择所属街道或乡镇。"),
            ),
            models.CheckConstraint(
                condition=~Q(role="district") | Q(division__isnull=False),
                name="user_district_reviewer_has_district",
                violation_error_message=_("区县民政局审核员必须选择所属区县。"),
            ),
            models.CheckConstraint(
                condition=~Q(role="province") | Q(division__isnull=False),
                name="user_province_reviewer_has_province",
                violation_error_message=_("省民政厅审核员必须选择所属省。"),
            ),
        ]

    @property
    def is_clerk(self):
        return self.role == Role.CLERK

    @property
    def is_district_reviewer(self):
        return self.role == Role.DISTRICT

    @property
    def is_bureau(self):
        return self.role in (Role.REVIEWER, Role.ADMIN, Role.PROVINCE) or self.is_superuser

    @property
    def is_bureau_admin(self):
        return self.role == Role.ADMIN or self.is_superuser

    def clean(self):
        super().clean()
        if self.role == Role.CLERK:
            if self.division_id is None:
                raise ValidationError({"division": _("街道填报员必须选择所属街道或乡镇。")})
            if self.division.level != Level.STREET:
                raise ValidationError({"division": _("街道填报员只能属于街道或乡镇，不能是区县或社区。")})
        elif self.role == Role.DISTRICT:
            if self.division_id is None or self.division.level != Level.DISTRICT:
                raise ValidationError({"division": _("区县民政局审核员必须属于一个区县。")})
        elif self.role == Role.PROVINCE:
            if self.division_id is None or self.division.level != Level.PROVINCE:
                raise ValidationError({"division": _("省民政厅审核员必须属于一个省。")})
        elif self.role == Role.REVIEWER and self.division_id is not None and self.division.level != Level.CITY:
            raise ValidationError({"division": _("市民政局审核员属于一个市州，或留空（整个平台）。")})

    def save(self, *args, **kwargs):
        # Every role works in the admin; what each may do there is decided by core.scoping.
        self.is_staff = self.is_active
        if self.role == Role.ADMIN:
            self.is_superuser = True
        elif self.role in (Role.CLERK, Role.REVIEWER, Role.DISTRICT, Role.PROVINCE):
            self.is_superuser = False
        super().save(*args, **kwargs)


class ImportBatch(models.Model):
    """One workbook import: who, which file (name and SHA-256), when, and its counts."""

    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    summary = models.JSONField(_("统计"), default=dict, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} @ {self.created_at:%Y-%m-%d %H:%M}"


class Holiday(models.Model):
    """A day of the official calendar that differs from the ordinary week.

    Kept as data the bureau edits, seeded from the ``chinesecalendar`` package,
    because the State Council publishes each year's schedule late.
    """

    class DayKind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休工作日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()
