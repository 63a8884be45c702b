"""What residents send the portal: reports of wrong information and 好差评 ratings.

Both point at one public record (a centre, an eldercare facility or a volunteer team) by kind and id, and
carry the record's division so that core.scoping gives each street clerk their own to-do.
Residents are anonymous: nothing personal is asked beyond an optional phone number for a reply, which
is never shown on a public page.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import phone_field


class Target(models.TextChoices):
    CENTRE = "centre", _("社区综合服务设施")
    FACILITY = "facility", _("养老服务设施")
    TEAM = "team", _("志愿服务队")


class AboutARecord(models.Model):
    """What a resident sends about one public record: its kind, id and name when it was sent, and the
    record's division (``division``, on each model with its own related name) for the street's to-do."""

    SCOPE_DIVISION = "division"

    target = models.CharField(_("对象类型"), max_length=10, choices=Target.choices)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    object_name = models.CharField(_("对象名称"), max_length=100)

    class Meta:
        abstract = True


class ErrorReport(AboutARecord):
    """“信息有误？” — lands on the to-do of the clerk of the record's street."""

    class Topic(models.TextChoices):
        HOURS = "hours", _("开放时间不对")
        PHONE = "phone", _("电话打不通或不对")
        ADDRESS = "address", _("地址或位置不对")
        CLOSED = "closed", _("已停用或搬迁")
        SERVICES = "services", _("服务项目不对")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        OPEN = "open", _("待处理")
        DONE = "done", _("已处理")

    division = models.ForeignKey(
        "core.Division", verbose_name=_("所属区划"), on_delete=models.CASCADE, related_name="error_reports"
    )
    topic = models.CharField(_("问题"), max_length=10, choices=Topic.choices)
    message = models.TextField(_("说明"), max_length=500, blank=True)
    phone = phone_field(_("回访电话（选填）"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("居民报错")
        verbose_name_plural = _("居民报错")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["division", "state"])]

    def __str__(self):
        return f"{self.object_name}：{self.get_topic_display()}"


class Rating(AboutARecord):
    """A 好差评 (000 §(十一) “满意度调查评估和‘好差评’”): published once a clerk or the bureau approves it."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已发布")
        REJECTED = "rejected", _("未通过")

    division = models.ForeignKey(
        "core.Division", verbose_name=_("所属区划"), on_delete=models.CASCADE, related_name="ratings"
    )
    score = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 到 5 分")
    )
    comment = models.TextField(_("评价"), max_length=300, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target", "object_id"], condition=Q(state="approved"), name="rating_published"),
            models.Index(fields=["division", "state"], name="rating_division_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="rating_score_1_to_5",
                violation_error_message=_("评分应为 1 到 5 分。"),
            ),
        ]

    def __str__(self):
        return f"{self.object_name} {self.score}"


class StreetFigures(models.Model):
    """The home page's headline counts kept per street by database triggers (migration 0003), never by Python.

    One row per *key division*: a record's (or a division's) street, or the division itself when it has no
    street (a street, a district, a city). Readers sum the rows; writers of one street queue only on that
    street's row. ``python manage.py verify_figures`` recomputes every row from scratch.
    """

    division = models.OneToOneField(
        "core.Division", verbose_name=_("街道乡镇"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    districts = models.IntegerField(_("区县数"), default=0)
    streets = models.IntegerField(_("街道乡镇数"), default=0)
    communities = models.IntegerField(_("社区村数"), default=0)
    centres = models.IntegerField(_("运营中的社区综合服务设施数"), default=0)
    eldercare = models.IntegerField(_("运营中的养老服务设施数"), default=0)
    teams = models.IntegerField(_("志愿服务队数"), default=0)

    #: The counted fields, in the order the triggers and verify_figures use.
    COUNTED = ("districts", "streets", "communities", "centres", "eldercare", "teams")

    class Meta:
        verbose_name = _("街道汇总数")
        verbose_name_plural = _("街道汇总数")

    def __str__(self):
        return str(self.division_id)
