"""Data validation rules (数据校验规则): each rule's check is here, its severity and on/off are data.

A record rule judges one record (``check(obj)``) where it is written — the workbook import and the admin —
through ``core.record_checks``, and finds the failing records of a street in the database
(``failing(street)``) for the street page and the submission. Errors (错误) refuse the import, the admin
save and the submission; warnings (警告) need a written explanation to submit.

Distribution rules (far from the city's distribution, warnings) compare a community's or street's figure
with the city's median over the divisions that have one: further than ``OUTLIER_FACTOR`` times the median
either way is "far" (a ratio, not a spread: the figures are skewed and a small city has few of them).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from statistics import median

from django.db.models import DateField, F, Q, Sum
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.caching import cached_public
from core.scoping import division_q

EARLIEST = date(1900, 1, 1)
OUTLIER_FACTOR = 5
_SEVERITY_TTL = 60  # seconds: rule settings are read once a minute per process, not once per imported row
_cache = {"at": 0.0, "rules": None}


@dataclass
class Issue:
    rule: str
    severity: str
    obj: object
    field: str
    message: str

    @property
    def key(self):
        return f"{self.rule}:{self.obj._meta.label_lower}:{self.obj.pk}"

    @property
    def is_error(self):
        return self.severity == "error"


def settings_of_rules():
    """``{code: severity}`` of the enabled rules (defaults for rules not yet in the table)."""
    now = time.monotonic()
    if _cache["rules"] is None or now - _cache["at"] > _SEVERITY_TTL:
        from reporting.models import ValidationRule  # here, not per call: an import statement costs on every row

        stored = {rule.code: rule for rule in ValidationRule.objects.all()}
        _cache["rules"] = {
            code: (stored[code].severity if code in stored else rule.severity)
            for code, rule in RULES.items() if code not in stored or stored[code].enabled
        }
        _cache["at"] = now
    return _cache["rules"]


def forget_settings(**kwargs):
    _cache["rules"] = None


def _today():
    # The portal's day (TIME_ZONE); ``timezone.localdate()`` looks the active zone up in a context-local on each
    # call, which was most of this function's cost in an import that checks every row.
    return datetime.now(timezone.get_default_timezone()).date()


class Rule:
    code = ""
    name = ""
    severity = "error"
    model_label = ""

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_label)

    def check(self, obj):  # -> [(field, message)]
        return []

    def failing(self, street):  # -> queryset or list of records
        return []


class NotAbove(Rule):
    """``field`` may not exceed ``limit`` on the same record (both given): 60+ and households against
    residents, nursing beds against beds."""

    field = limit = ""
    message = ""  # "%(value)s" and "%(limit)s"

    def check(self, obj):
        value, limit = getattr(obj, self.field), getattr(obj, self.limit)
        if value is not None and limit is not None and value > limit:
            return [(self.field, self.message % {"value": value, "limit": limit})]
        return []

    def within(self, street):
        return Q(street=street)

    def failing(self, street):
        return self.model.objects.filter(self.within(street), **{f"{self.field}__gt": F(self.limit)})


class Population60(NotAbove):
    code = "population_60plus"
    name = gettext_lazy("60岁以上人口不超过常住人口")
    model_label = "core.Division"
    field, limit = "population_60plus", "population"
    message = gettext_lazy("60岁以上人口 %(value)s 大于常住人口 %(limit)s。")


class Households(NotAbove):
    code = "households"
    name = gettext_lazy("户数不超过常住人口")
    model_label = "core.Division"
    field, limit = "households", "population"
    message = gettext_lazy("户数 %(value)s 大于常住人口 %(limit)s。")


class NursingBeds(NotAbove):
    code = "nursing_beds"
    name = gettext_lazy("护理型床位不超过床位")
    model_label = "eldercare.Facility"
    field, limit = "nursing_beds", "beds"
    message = gettext_lazy("护理型床位数 %(value)s 大于床位数 %(limit)s。")

    def within(self, street):
        return division_q(self.model, street)


class VisitDate(Rule):
    code = "visit_date"
    name = gettext_lazy("探访日期不晚于今天，不早于老人登记日期")
    model_label = "eldercare.Visit"

    def check(self, obj):
        if obj.visited_on is None:
            return []
        today = _today()
        if obj.visited_on > today:
            return [("visited_on", _("探访日期 %(date)s 晚于今天 %(today)s。") % {
                "date": obj.visited_on, "today": today})]
        registered = getattr(getattr(obj, "elder", None), "registered_on", None)
        if registered and obj.visited_on < registered:
            return [("visited_on", _("探访日期 %(date)s 早于老人登记日期 %(registered)s。") % {
                "date": obj.visited_on, "registered": registered})]
        return []

    def failing(self, street):
        return self.model.objects.filter(
            Q(visited_on__gt=_today()) | Q(visited_on__lt=F("elder__registered_on")),
            elder__community__street=street,
        ).select_related("elder")


class CertificateDates(Rule):
    code = "certificate_dates"
    name = gettext_lazy("证书取得日期不晚于今天，登记有效期晚于取得日期")
    model_label = "volunteers.Worker"

    def check(self, obj):
        found = []
        today = _today()
        if obj.obtained_on and obj.obtained_on > today:
            found.append(("obtained_on", _("取得日期 %(date)s 晚于今天 %(today)s。") % {
                "date": obj.obtained_on, "today": today}))
        if obj.obtained_on and obj.registration_valid_until and obj.registration_valid_until <= obj.obtained_on:
            found.append(("registration_valid_until", _("登记有效期至 %(until)s 应晚于取得日期 %(obtained)s。") % {
                "until": obj.registration_valid_until, "obtained": obj.obtained_on}))
        return found

    def failing(self, street):
        return self.model.objects.filter(
            Q(obtained_on__gt=_today()) | Q(registration_valid_until__lte=F("obtained_on")),
            division_q(self.model, street),
        )


class Before1900(Rule):
    """A date before 1900 is an Excel serial number or a typing slip, never a real date of this data."""

    code = "date_before_1900"
    name = gettext_lazy("日期不早于 1900 年（Excel 日期序号误填）")
    model_label = ""
    MODELS = {
        "eldercare.Visit": ("elder__community__street", ["visited_on"]),
        "eldercare.Elder": ("community__street", ["registered_on"]),
        "volunteers.Worker": (None, ["obtained_on", "registration_valid_until"]),
        "facilities.Centre": ("community__street", ["verified_on"]),
        "volunteers.ServiceRecord": ("team__community__street", ["date"]),
    }

    def check(self, obj):
        found = []
        for field in obj._meta.concrete_fields:
            if isinstance(field, DateField) and not field.get_internal_type() == "DateTimeField":
                value = getattr(obj, field.attname, None)
                if isinstance(value, date) and value < EARLIEST:
                    found.append((field.name, _("%(field)s %(date)s 早于 1900 年，可能是 Excel 日期序号或输入错误。") % {
                        "field": field.verbose_name, "date": value.isoformat()}))
        return found

    def failing(self, street):
        from django.apps import apps

        records = []
        for label, (path, fields) in self.MODELS.items():
            model = apps.get_model(label)
            where = Q()
            for name in fields:
                where |= Q(**{f"{name}__lt": EARLIEST})
            if path is None:
                scope = division_q(model, street)
            else:
                scope = Q(**{path: street})
            records.extend(model.objects.filter(where, scope))
        return records


RECORD_RULES = [Population60(), Households(), NursingBeds(), VisitDate(), CertificateDates(), Before1900()]


class Outlier(Rule):
    severity = "warning"
    #: The public-data scope (``core.caching``) every save of the records the distribution reads bumps; the
    #: divisions' figures are watched globally, so a change of either retires the kept median.
    scope = ""

    def far(self, value, middle):
        return middle and value and (value > middle * OUTLIER_FACTOR or value * OUTLIER_FACTOR < middle)

    def values(self, city=None, street=None):  # -> {pk: value}
        raise NotImplementedError

    def distribution(self, city_id):
        """``(how many, median)`` of the city's figures, kept until one of its records changes: the street page
        reads only its own figures besides (the city's grouped sum was 0.3 s of the 40× street page)."""
        return tuple(cached_public(f"reporting:{self.code}:{city_id}", lambda: self.count_and_median(city_id),
                                   scopes=(self.scope,)))

    def count_and_median(self, city_id):
        figures = list(self.values(city=city_id).values())
        return len(figures), (median(figures) if figures else None)


class CentreAreaOutlier(Outlier):
    code = "centre_area_outlier"
    name = gettext_lazy("每百户设施面积远离全市分布")
    model_label = "core.Division"
    scope = "facilities"

    def values(self, city=None, street=None):
        """``{community pk: area per 100 households}`` of every community of ``city`` (of the deployment when
        None; of ``street`` when given) with an operating centre: the centres' areas summed by community in one
        grouped query joined to the communities."""
        from core.models import Level
        from facilities.models import Centre

        centres = Centre.objects.filter(status="operating", community__level=Level.COMMUNITY,
                                        community__households__gt=0)
        if city is not None:
            centres = centres.filter(community__city=city)
        if street is not None:
            centres = centres.filter(community__street=street)
        rows = (centres
                .order_by().values("community")
                .annotate(area=Sum("total_area"))
                .filter(area__gt=0)
                .values_list("community", "area", "community__households"))
        return {pk: Decimal(area) * 100 / households for pk, area, households in rows}

    def count_and_median(self, city_id):
        """From the kept areas (``reporting.areas``): a count and the middle rows, not every community's figure."""
        from reporting import areas

        return areas.count_and_median(city_id)

    def issues(self, street):
        """全市 is the street's city: in a province, its communities are compared with their own city's."""
        from core.models import Division

        own = self.values(street=street)
        count, middle = self.distribution(street.city_id)
        if count < 3:
            return []
        far = {pk: value for pk, value in own.items() if self.far(value, middle)}
        return [Issue(self.code, "", community, "", _(
            "%(name)s：每百户设施面积 %(value)s 平方米，全市中位数 %(median)s，相差 %(factor)s 倍以上，请核对面积和户数。"
        ) % {"name": community.name, "value": round(far[community.pk], 2), "median": round(middle, 2),
             "factor": OUTLIER_FACTOR}) for community in Division.objects.filter(pk__in=far)]


class BedsOutlier(Outlier):
    code = "beds_outlier"
    name = gettext_lazy("每千名老年人床位数远离全市分布")
    model_label = "core.Division"
    scope = "eldercare"

    def values(self, city=None, street=None):
        """``{street pk: beds per 1,000 aged 60+}`` of every street of ``city`` (of the deployment when None; only
        ``street`` when given) with institution beds (two grouped queries)."""
        from core.models import Division, Level
        from eldercare.models import Facility, FacilityKind

        institutions = Facility.objects.filter(kind=FacilityKind.INSTITUTION, status="operating")
        communities = Division.objects.filter(level=Level.COMMUNITY)
        if city is not None:
            institutions = institutions.filter(division__city=city)
            communities = communities.filter(city=city)
        if street is not None:
            institutions = institutions.filter(division_q(Facility, street))
            communities = communities.filter(street=street)
        beds = {}
        for division, owner, count in (institutions
                                       .values_list("division_id", "division__street_id")
                                       .annotate(total=Sum("beds")).values_list("division_id", "division__street_id",
                                                                                 "total")):
            key = owner or division
            beds[key] = beds.get(key, 0) + (count or 0)
        elderly = dict(communities.values("street").order_by()
                       .annotate(total=Sum("population_60plus")).values_list("street", "total"))
        return {key: Decimal(count) * 1000 / elderly[key]
                for key, count in beds.items() if count and elderly.get(key)}

    def issues(self, street):
        count, middle = self.distribution(street.city_id)
        value = self.values(street=street).get(street.pk)
        if count < 3 or value is None or not self.far(value, middle):
            return []
        return [Issue(self.code, "", street, "", _(
            "%(name)s：每千名老年人床位 %(value)s 张，全市中位数 %(median)s，相差 %(factor)s 倍以上，请核对床位数和老年人口。"
        ) % {"name": street.name, "value": round(value, 2), "median": round(middle, 2), "factor": OUTLIER_FACTOR})]


STREET_RULES = [CentreAreaOutlier(), BedsOutlier()]
RULES = {rule.code: rule for rule in [*RECORD_RULES, *STREET_RULES]}


def record_issues(obj):
    """``core.record_checks`` hook: ``[(field, message, severity)]`` of the enabled record rules for ``obj``."""
    label = obj._meta.label
    active = settings_of_rules()
    found = []
    for rule in RECORD_RULES:
        if rule.code not in active:
            continue
        if rule.model_label and rule.model_label != label:
            continue
        if not rule.model_label and label not in Before1900.MODELS:
            continue
        found.extend((field, message, active[rule.code]) for field, message in rule.check(obj))
    return found


def street_issues(street):
    """Every issue of ``street``'s records, errors first (one query per rule)."""
    active = settings_of_rules()
    found = []
    for rule in RECORD_RULES:
        if rule.code not in active:
            continue
        for obj in rule.failing(street):
            for field, message in rule.check(obj):
                found.append(Issue(rule.code, active[rule.code], obj, field, f"{_label(obj)}：{message}"))
    for rule in STREET_RULES:
        if rule.code in active:
            for issue in rule.issues(street):
                issue.severity = active[rule.code]
                found.append(issue)
    found.sort(key=lambda issue: (not issue.is_error, issue.rule))
    return found


def _label(obj):
    return f"{obj._meta.verbose_name} {obj}"


def connect():
    from reporting.models import ValidationRule

    post_save.connect(forget_settings, sender=ValidationRule, dispatch_uid="reporting_rules_saved")
    post_delete.connect(forget_settings, sender=ValidationRule, dispatch_uid="reporting_rules_deleted")
