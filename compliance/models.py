"""Targets as data (plans), the bureau's review of a street, and frozen snapshots of the figures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.history import HistoryBase


class Comparator(models.TextChoices):
    GTE = ">=", _("≥（达到、不少于、以上）")
    GT = ">", _(">（高于）")


class Binding(models.TextChoices):
    BINDING = "binding", _("约束性")
    EXPECTED = "expected", _("预期性")


class PlanQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(in_force=True)


class Plan(models.Model):
    """A named set of targets (规划); exactly one plan is in force."""

    name = models.CharField(_("规划名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    in_force = models.BooleanField(_("现行"), default=False, help_text=_("同一时间只有一个现行规划；选中后其他规划自动取消。"))
    history = HistoricalRecords(bases=[HistoryBase])

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("规划")
        verbose_name_plural = _("规划")
        ordering = ["-in_force", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_force"], condition=Q(in_force=True), name="compliance_one_plan_in_force",
                violation_error_message=_("只能有一个现行规划。"),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.in_force:
                for other in Plan.objects.filter(in_force=True).exclude(pk=self.pk):
                    other.in_force = False
                    other.save(update_fields=["in_force"])  # through save(): the change is in the history
            super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        """The plan in force (falls back to the first plan if none is marked)."""
        return cls.objects.filter(in_force=True).first() or cls.objects.order_by("pk").first()


class Target(models.Model):
    """One indicator's target in a plan: comparator, figure (may be empty), nature and source."""

    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("指标代码"), max_length=4)
    comparator = models.CharField(_("比较方式"), max_length=2, choices=Comparator.choices, default=Comparator.GTE)
    figure = models.DecimalField(
        _("目标值"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("留空表示本规划对该指标不设目标。")
    )
    binding = models.CharField(_("指标属性"), max_length=10, choices=Binding.choices, default=Binding.EXPECTED)
    source = models.CharField(_("来源文件"), max_length=200, blank=True)
    clause = models.CharField(_("条款"), max_length=200, blank=True)
    history = HistoricalRecords(bases=[HistoryBase])

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator"], name="compliance_target_once_per_plan",
                violation_error_message=_("同一规划中每个指标只能有一个目标。"),
            ),
        ]

    def __str__(self):
        return f"{self.plan} · {self.indicator} {self.comparator} {self.figure_text or '—'}"

    @property
    def symbol(self):
        return "≥" if self.comparator == Comparator.GTE else ">"

    @property
    def figure_text(self):
        """The figure as the plan writes it: 100, 30, 55.5 (no trailing zeros, never 1E+2)."""
        return "" if self.figure is None else format(self.figure.normalize(), "f")

    def clean(self):
        super().clean()
        from compliance.indicators import INDICATORS

        if self.indicator not in INDICATORS:
            raise ValidationError(
                {"indicator": _("指标代码“%(code)s”不存在，应为 F1…E8 之一。") % {"code": self.indicator}}
            )


class CorrectionRequest(models.Model):
    """The bureau returns a street's data for correction (退回修改): open → fixed → closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("待修改")
        FIXED = "fixed", _("已修改，待核实")
        CLOSED = "closed", _("已关闭")

    street = models.ForeignKey(
        "core.Division", verbose_name=_("街道乡镇"), on_delete=models.PROTECT, related_name="correction_requests",
        limit_choices_to={"level": "street"},
    )
    indicator = models.CharField(_("指标代码"), max_length=4, blank=True)
    comment = models.TextField(_("退回意见"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("退回人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("退回时间"), auto_now_add=True)
    fixed_note = models.TextField(_("修改说明"), blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    fixed_at = models.DateTimeField(_("修改时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("关闭人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    history = HistoricalRecords(bases=[HistoryBase])

    SCOPE_DIVISION = "street"

    class Meta:
        verbose_name = _("退回修改")
        verbose_name_plural = _("退回修改")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.street.name} · {self.get_status_display()}"


class Snapshot(models.Model):
    """The figures of every indicator frozen under a name (e.g. 2023 中期评估)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    plan_name = models.CharField(_("规划"), max_length=100)
    month = models.CharField(_("探访统计月份"), max_length=7)
    data = models.JSONField(_("数据"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("快照")
        verbose_name_plural = _("快照")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name
