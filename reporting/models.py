"""The reporting cycle (逐级上报审核): a street's month is submitted, approved by its district, accepted by the city.

A period's figures are frozen when its district approves it (the month's official figures for the street);
returns name the indicator and the records to fix; validation rules are data (severity, on/off).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    ERROR = "error", _("错误")
    WARNING = "warning", _("警告")


class ValidationRule(models.Model):
    """A data validation rule (数据校验规则): its check is code (``reporting.rules``), its severity is data."""

    code = models.CharField(_("规则代码"), max_length=40, unique=True)
    name = models.CharField(_("规则"), max_length=200)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.ERROR,
                                help_text=_("错误：阻止导入和上报；警告：上报时须书面说明。"))
    enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("数据校验规则")
        verbose_name_plural = _("数据校验规则")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.get_severity_display()}）"


class Status(models.TextChoices):
    OPEN = "open", _("未提交")
    SUBMITTED = "submitted", _("已提交，待区县审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("区县审核通过")
    ACCEPTED = "accepted", _("市级已确认")
    REOPENED = "reopened", _("已重新打开")


class Period(models.Model):
    """One street's reporting period: a month (``month`` is its first day)."""

    SCOPE_DIVISION = "street"

    street = models.ForeignKey("core.Division", verbose_name=_("街道乡镇"), on_delete=models.PROTECT,
                               related_name="reporting_periods", limit_choices_to={"level": "street"})
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(_("市级确认时间"), null=True, blank=True)
    returned_count = models.PositiveIntegerField(_("退回次数"), default=0)
    #: ``{indicator: [numerator, denominator, value, target, comparator, passed]}`` as strings: the approved figures.
    frozen = models.JSONField(_("审核通过时的数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("报送期")
        verbose_name_plural = _("报送期")
        ordering = ["-month", "street__code"]
        constraints = [
            models.UniqueConstraint(fields=["street", "month"], name="reporting_period_once_per_month"),
        ]
        indexes = [models.Index(fields=["month", "street"], name="reporting_period_month")]

    def __str__(self):
        return f"{self.street.name} {self.month:%Y-%m}"

    @property
    def month_text(self):
        return f"{self.month:%Y-%m}"

    @property
    def can_submit(self):
        return self.status in (Status.OPEN, Status.RETURNED, Status.REOPENED)


class Event(models.Model):
    """One step of a period: who, when, what and the note (the period's history)."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交")
        RETURN = "return", _("退回")
        APPROVE = "approve", _("审核通过")
        ACCEPT = "accept", _("确认")
        REOPEN = "reopen", _("重新打开")
        FIX = "fix", _("退回事项标记为已修改")
        CLOSE = "close", _("退回事项核实关闭")

    period = models.ForeignKey(Period, verbose_name=_("报送期"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.period} {self.get_action_display()}"


class Explanation(models.Model):
    """The clerk's written explanation of a warning, given when submitting (one per warning and period: a
    resubmission replaces it)."""

    period = models.ForeignKey(Period, verbose_name=_("报送期"), on_delete=models.CASCADE, related_name="explanations")
    key = models.CharField(_("问题"), max_length=200)
    message = models.TextField(_("警告"))
    text = models.TextField(_("说明"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("说明人"), on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("警告说明")
        verbose_name_plural = _("警告说明")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.message


class ReturnItem(models.Model):
    """A return (退回) tied to one record: the indicator, the record, the reason and a deadline."""

    SCOPE_DIVISION = "street"

    class State(models.TextChoices):
        OPEN = "open", _("待修改")
        FIXED = "fixed", _("已修改，待核实")
        CLOSED = "closed", _("已核实关闭")

    period = models.ForeignKey(Period, verbose_name=_("报送期"), on_delete=models.CASCADE, related_name="returns")
    street = models.ForeignKey("core.Division", verbose_name=_("街道乡镇"), on_delete=models.PROTECT,
                               related_name="+")
    indicator = models.CharField(_("指标代码"), max_length=4, blank=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("记录类型"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("记录"))
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(_("记录名称"), max_length=200)
    reason = models.TextField(_("退回意见"))
    deadline = models.DateField(_("修改期限"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("退回人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("退回时间"), auto_now_add=True)
    fixed_note = models.TextField(_("修改说明"), blank=True)
    fixed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    fixed_at = models.DateTimeField(_("修改时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("退回通知时间"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("逾期通知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("退回事项")
        verbose_name_plural = _("退回事项")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="reporting_return_record")]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="reporting_return_has_reason",
                                   violation_error_message=_("请填写退回意见。")),
        ]

    def __str__(self):
        return f"{self.record_label} · {self.get_state_display()}"


class Reminder(models.Model):
    """An email reminder sent once (the daily command does not send the same one twice)."""

    class Kind(models.TextChoices):
        DEADLINE = "deadline", _("截止提醒")
        OVERDUE = "overdue", _("逾期通知")

    period = models.ForeignKey(Period, verbose_name=_("报送期"), on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    recipients = models.TextField(_("收件人"), blank=True)

    class Meta:
        verbose_name = _("提醒邮件")
        verbose_name_plural = _("提醒邮件")
        constraints = [models.UniqueConstraint(fields=["period", "kind"], name="reporting_reminder_once")]

    def __str__(self):
        return f"{self.period} {self.get_kind_display()}"


class CommunityArea(models.Model):
    """Each community's operating centres' total floor area, kept by database triggers (migration 0005) in the
    writer's own transaction, whatever writes the centres (the admin, the import, ``QuerySet.update``), with the
    division's city and households (kept when the division changes) and the area per 100 households.

    The distribution rule ``centre_area_outlier`` reads the city's median area per 100 households from these rows
    (a count and a few rows around the middle, on the index by city and ratio) instead of summing every centre of
    the city per street page (87 ms at 40×). A row of 0 is a community whose centres were all closed or deleted.
    ``verify_figures`` recounts them.
    """

    community = models.OneToOneField("core.Division", verbose_name=_("社区村"), on_delete=models.CASCADE,
                                     primary_key=True, related_name="+")
    area = models.DecimalField(_("运营中设施总建筑面积（平方米）"), max_digits=14, decimal_places=2, default=0)
    city = models.ForeignKey("core.Division", verbose_name=_("所属市"), on_delete=models.SET_NULL, null=True,
                             related_name="+", db_index=False)
    households = models.PositiveIntegerField(_("户数"), null=True)
    #: ``area × 100 ÷ households`` of a community (level) with households and area; NULL otherwise.
    ratio = models.FloatField(_("每百户面积"), null=True)

    class Meta:
        verbose_name = _("社区设施面积汇总")
        verbose_name_plural = _("社区设施面积汇总")
        indexes = [models.Index(fields=["city", "ratio", "community"], condition=models.Q(ratio__isnull=False),
                                name="community_area_by_ratio")]

    def __str__(self):
        return f"{self.community_id}: {self.area}"
