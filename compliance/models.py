"""Targets as data (plans), the bureau's review of a street, and frozen snapshots of the figures."""

import secrets

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
    """A named set of targets (规划).

    Exactly one plan is in force for the deployment's whole area (``in_force``); a plan with a
    ``division`` is in force for that division and everything under it, unless a lower division
    has its own (Jixi's plan for Jixi, the provincial plan elsewhere).
    """

    name = models.CharField(_("规划名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    in_force = models.BooleanField(_("现行"), default=False, help_text=_("同一时间只有一个现行规划；选中后其他规划自动取消。"))
    division = models.ForeignKey(
        "core.Division", verbose_name=_("适用区划"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="plans", limit_choices_to={"level__in": ["province", "city", "district"]},
        help_text=_("该规划适用于此区划及其下级区划（下级区划有自己的规划时除外）；留空为不指定区划。"),
    )
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
            models.UniqueConstraint(
                fields=["division"], name="compliance_one_plan_per_division",
                violation_error_message=_("每个区划只能有一个适用的规划。"),
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
    baseline = models.DecimalField(
        _("基期值"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("规划起点的数值（通常为 2020 年末），用于计算进度；留空时以平台最早的月度数据为基期。"),
    )
    baseline_year = models.PositiveSmallIntegerField(_("基期年份"), null=True, blank=True, default=2020)
    baseline_source = models.CharField(_("基期值来源"), max_length=200, blank=True)
    midterm = models.DecimalField(
        _("中期目标（2023）"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("2023 年中期评估的里程碑；留空时按基期值到目标值的直线进度评价。"),
    )
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
        from compliance.rules import INDICATORS

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


class Level(models.TextChoices):
    CITY = "city", _("全市")
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道乡镇")


class MonthRecord(models.Model):
    """The figures of one month (all levels) as they stood at its end: the month's record (compliance.timeline)."""

    class Source(models.TextChoices):
        MONTH_END = "month_end", _("月末自动保存")
        BACKFILL = "backfill", _("按历史记录补算")

    month = models.DateField(_("月份"), unique=True, help_text=_("该月第一天"))
    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.SET_NULL, null=True, related_name="+")
    plan_name = models.CharField(_("规划"), max_length=100)
    rules_version = models.PositiveSmallIntegerField(_("规则版本"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("月度数据")
        verbose_name_plural = _("月度数据")
        ordering = ["month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class MonthFigure(models.Model):
    """One indicator's figure for one division in a stored month: the exact sums, the value and the verdict."""

    record = models.ForeignKey(MonthRecord, verbose_name=_("月份"), on_delete=models.CASCADE, related_name="figures")
    indicator = models.CharField(_("指标代码"), max_length=4)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    division_code = models.CharField(_("区划代码"), max_length=12, help_text=_("全市为 ALL"))
    division_name = models.CharField(_("区划"), max_length=100)
    numerator = models.DecimalField(_("分子"), max_digits=24, decimal_places=6, null=True)
    denominator = models.DecimalField(_("分母"), max_digits=24, decimal_places=6, null=True)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2, null=True)
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2, null=True)
    comparator = models.CharField(_("比较方式"), max_length=2, blank=True)
    passed = models.BooleanField(_("是否达标"), null=True)

    class Meta:
        verbose_name = _("月度指标值")
        verbose_name_plural = _("月度指标值")
        constraints = [
            models.UniqueConstraint(fields=["record", "indicator", "division_code"], name="compliance_month_figure_once"),
        ]
        indexes = [
            models.Index(fields=["indicator", "division_code"], name="compliance_month_figure_series"),
            models.Index(fields=["indicator", "level"], name="compliance_month_figure_level"),
        ]

    def __str__(self):
        return f"{self.indicator} {self.division_code} {self.value}"


class Job(models.Model):
    """A long piece of work run by a background worker (django-tasks): its progress and, when done, its file."""

    class Kind(models.TextChoices):
        BACKFILL = "backfill", _("补算月度数据")
        REPORT = "report", _("评估报告")

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    params = models.JSONField(_("参数"), default=dict)
    title = models.CharField(_("名称"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("已完成步数"), default=0)
    total = models.PositiveIntegerField(_("总步数"), default=1)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    # In the database, not on a disk: workers on several machines share PostgreSQL, not a file system.
    content = models.BinaryField(_("文件"), null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def percent(self):
        return 100 if self.state == self.State.DONE else min(100, round(100 * self.done / max(1, self.total)))


def new_stamp():
    """A random 47-bit number: a district's sum of a few hundred of them stays within a 64-bit integer."""
    return secrets.randbits(47)


class KeptFigure(models.Model):
    """The board's grouped sums of one *key division* for one month, kept in step with every write.

    A key division is a street, or a division that stands in no street (a district, a community without a
    street): ``Coalesce(street, self)`` of the record's division. ``sums`` is ``{base: {column: value}}`` — what
    ``compliance.board.grouped_querysets(…, by="street")`` reads for that key (decimals as text). The row with no
    division marks the month complete: without it the board computes as before (``compliance.kept``).
    """

    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    division = models.ForeignKey(
        "core.Division", verbose_name=_("区划"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    sums = models.JSONField(_("汇总数"), default=dict)
    #: A new random number at every write of the row: a roll-up (``KeptRollup``) is still the sum of the rows under
    #: its division while their count and the sum of their stamps are the ones it was added from.
    stamp = models.BigIntegerField(_("版本戳"), default=new_stamp)

    class Meta:
        verbose_name = _("指标汇总数")
        verbose_name_plural = _("指标汇总数")
        constraints = [
            models.UniqueConstraint(fields=["month", "division"], name="compliance_kept_figure_once"),
            models.UniqueConstraint(fields=["month"], condition=Q(division__isnull=True),
                                    name="compliance_kept_figure_one_mark"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.division_id or '*'}"


class KeptRollup(models.Model):
    """The kept rows of one month under a district or a city added up, so that a board reads one row per district
    (a city's board) or per city (the province's, the whole area's) instead of one per street. Written by the
    board's readers, never in a writer's transaction (every clerk of a district would queue on it): it is used
    only while ``rows`` and ``stamp`` — the count and the sum of stamps of the ``KeptFigure`` rows under the
    division it was added from — are still theirs (``compliance.kept``). A district's adds its streets' and
    communities' rows; a city's adds every row under it (its districts' own rows too), not the city's own.
    """

    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    division = models.ForeignKey("core.Division", verbose_name=_("区县或地市"), on_delete=models.CASCADE,
                                 related_name="+")
    rows = models.PositiveIntegerField(_("汇总行数"))
    stamp = models.BigIntegerField(_("版本戳之和"))
    sums = models.JSONField(_("汇总数"), default=dict)

    class Meta:
        verbose_name = _("区县和地市指标汇总数")
        verbose_name_plural = _("区县和地市指标汇总数")
        constraints = [models.UniqueConstraint(fields=["month", "division"], name="compliance_kept_rollup_once")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.division_id}"
