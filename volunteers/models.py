"""Volunteer teams, community staff and social workers."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.fields import phone_field, validate_record_code
from core.models import Level, TrackedModel
from core.search_text import Searchable


class ServiceField(models.Model):
    """A field a volunteer team serves in (助老, 环境, 治安, …)."""

    name = models.CharField(_("名称"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("服务领域")
        verbose_name_plural = _("服务领域")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(Searchable, TrackedModel):
    SCOPE_DIVISION = "community"

    code = models.CharField(_("队伍编号"), max_length=30, unique=True, validators=[validate_record_code])
    name = models.CharField(_("名称"), max_length=100)
    community = models.ForeignKey(
        "core.Division",
        verbose_name=_("所属社区"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": Level.COMMUNITY},
        related_name="volunteer_teams",
    )
    # The community's code, kept by the database (core.community_codes): the public list's order, on an index.
    # Nullable so that SQLite adds the column in place (a rebuilt table trips the triggers that name it).
    community_code = models.CharField(_("所属社区代码"), max_length=12, null=True, editable=False)
    party_backbone = models.BooleanField(_("党员骨干"), default=False, help_text=_("以党员为骨干的志愿服务队"))
    member_count = models.PositiveIntegerField(_("队员人数"), default=0)
    leader = models.CharField(_("负责人"), max_length=50, blank=True)
    phone = phone_field(help_text=_("队伍联系电话：不在公开页面显示个人手机号。"))
    fields = models.ManyToManyField(ServiceField, verbose_name=_("服务领域"), blank=True, related_name="teams")
    meeting_place = models.CharField(_("活动地点"), max_length=200, blank=True)
    how_to_join = models.TextField(_("加入方式"), blank=True)
    search_text = models.TextField(_("检索文本"), blank=True, default="", editable=False)

    # The residents' one search (core.search_text): name, meeting place, community and service fields.
    SEARCH_DIVISION, SEARCH_MANY = "community", "fields"
    SEARCH_WORDS = ("name", "meeting_place")

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        ordering = ["code"]
        # V1 ("has a party-backbone team") by community: an index-only scan.
        indexes = [
            models.Index(fields=["community"], condition=Q(party_backbone=True), name="team_backbone"),
            # The residents' list: teams by community code, then code (its pages, the last included), an
            # index-only scan with the ids (INCLUDE: on PostgreSQL; settings.SILENCED_SYSTEM_CHECKS).
            models.Index(fields=["community_code", "code"], include=["id"], name="team_public_order"),
        ]

    def __str__(self):
        return self.name



class Member(TrackedModel):
    """A team member. Personal data: never public."""

    SCOPE_DIVISION = "team__community"

    team = models.ForeignKey(Team, verbose_name=_("志愿服务队"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    phone = phone_field()
    is_party_member = models.BooleanField(_("党员"), default=False)
    registered_nationally = models.BooleanField(_("已在全国志愿服务信息系统注册"), default=False)

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["team", "name"]

    def __str__(self):
        return self.name


class ServiceRecord(TrackedModel):
    SCOPE_DIVISION = "team__community"

    team = models.ForeignKey(Team, verbose_name=_("志愿服务队"), on_delete=models.CASCADE, related_name="records")
    date = models.DateField(_("服务日期"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=7, decimal_places=1)
    activity = models.CharField(_("活动内容"), max_length=200)

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="service_record_hours_positive",
                violation_error_message=_("服务时长（小时）应大于 0。"),
            )
        ]

    def __str__(self):
        return f"{self.team} {self.date:%Y-%m-%d}"


class WorkerRole(models.TextChoices):
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    STATION_STAFF = "station_staff", _("社工站人员")


class CertificateLevel(models.TextChoices):
    NONE = "none", _("无")
    ASSISTANT = "assistant", _("助理社会工作师")
    SOCIAL_WORKER = "social_worker", _("社会工作师")
    SENIOR = "senior", _("高级社会工作师")


#: 持证: any certificate level. A lapsed registration (登记有效期) still holds the certificate (S1, S2, S4).
CERTIFIED = ~Q(level=CertificateLevel.NONE)


class WorkerQuerySet(models.QuerySet):
    def on_duty(self):
        return self.filter(on_duty=True)

    def certified(self):
        return self.filter(CERTIFIED)


class Worker(TrackedModel):
    """A community worker or social-work station staff member, with their certificate."""

    SCOPE_DIVISION = "workplace"

    code = models.CharField(
        _("人员编号"), max_length=30, unique=True, validators=[validate_record_code],
        error_messages={"unique": _("人员编号已登记：同一人只能有一条人员记录，不能在两处在岗。")},
    )
    name = models.CharField(_("姓名"), max_length=50)
    workplace = models.ForeignKey(
        "core.Division",
        verbose_name=_("工作单位"),
        on_delete=models.PROTECT,
        related_name="workers",
        help_text=_("社区，或街道乡镇的社会工作站。"),
    )
    role = models.CharField(_("岗位"), max_length=20, choices=WorkerRole.choices, default=WorkerRole.COMMUNITY_WORKER)
    on_duty = models.BooleanField(_("在岗"), default=True)
    level = models.CharField(
        _("职业资格等级"), max_length=20, choices=CertificateLevel.choices, default=CertificateLevel.NONE
    )
    certificate_number = models.CharField(
        _("证书编号"), max_length=30, unique=True, null=True, blank=True, validators=[validate_record_code],
        error_messages={"unique": _("证书编号已登记在另一人员名下：一本证书只能对应一个人员，不能在两处在岗。")},
    )
    obtained_on = models.DateField(_("取得日期"), null=True, blank=True)
    registration_valid_until = models.DateField(_("登记有效期至"), null=True, blank=True)
    education_hours = models.DecimalField(
        _("本登记周期继续教育学时"), max_digits=5, decimal_places=1, default=0
    )

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("社区工作者")
        verbose_name_plural = _("社区工作者")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=CertificateLevel.NONE)
                | (Q(certificate_number__isnull=False) & ~Q(certificate_number="")),
                name="worker_certificate_number_required",
                violation_error_message=_("证书编号：填写了职业资格等级时必须填写证书编号。"),
            ),
            models.CheckConstraint(
                condition=Q(obtained_on__isnull=True)
                | Q(registration_valid_until__isnull=True)
                | Q(registration_valid_until__gt=F("obtained_on")),
                name="worker_registration_after_obtained",
                violation_error_message=_("登记有效期至应晚于取得日期。"),
            ),
            models.CheckConstraint(
                condition=Q(education_hours__gte=0),
                name="worker_education_hours_positive",
                violation_error_message=_("本登记周期继续教育学时不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        super().clean()
        errors = {}
        if self.certificate_number == "":
            self.certificate_number = None
        if self.level != CertificateLevel.NONE and not self.certificate_number:
            errors["certificate_number"] = _("填写了职业资格等级时必须填写证书编号。")
        if self.obtained_on and self.registration_valid_until and self.registration_valid_until <= self.obtained_on:
            errors["registration_valid_until"] = _("登记有效期至 %(until)s 应晚于取得日期 %(obtained)s。") % {
                "until": self.registration_valid_until, "obtained": self.obtained_on,
            }
        if self.workplace_id:
            if self.workplace.level == Level.DISTRICT:
                errors["workplace"] = _("工作单位应为社区村，或街道乡镇的社会工作站。")
            elif self.role == WorkerRole.STATION_STAFF and self.workplace.level != Level.STREET:
                errors["workplace"] = _("社工站人员的工作单位应为街道乡镇（社会工作站）。")
        if errors:
            raise ValidationError(errors)
