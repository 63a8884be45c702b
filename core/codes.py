"""Record codes made for the clerk: a new record's code is generated in the documented pattern.

The patterns are the ones the demo city and the bureau's workbooks use (docs/DATA-ENTRY.md):

| record | pattern | example |
|---|---|---|
| 综合服务设施 | ``SQZX`` + 社区代码 (+ 两位序号 from the second centre on) | SQZX230302001001 |
| 志愿服务队 | ``ZYD`` + 社区代码 + 两位序号 | ZYD23030200100101 |
| 特殊困难老年人 | ``LR`` + 社区代码 + 两位序号 | LR23030200100101 |
| 社区工作者 | ``RY`` + 工作单位代码 + 两位序号 | RY23030200100101 |
| 日间照料中心 | ``YL-R-`` + 社区代码 (+ 两位序号) | YL-R-230302001001 |
| 综合养老服务中心 | ``YL-J-`` + 街道代码前 9 位 (+ 两位序号) | YL-J-230302001 |
| 养老机构 | ``YL-Y-`` + 区县代码前 6 位 + ``-`` + 两位序号 | YL-Y-230302-01 |

Clerks see the code generated (the field is locked for them); bureau staff may type another one, and a
blank code is generated for them too.
"""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import permissions


@dataclass(frozen=True)
class CodeRule:
    """``prefix(division)`` + a sequence number of ``digits`` digits; ``bare_first``: the first has none."""

    pattern: str  # the pattern in words, shown under the field
    prefix: callable
    bare_first: bool = False
    digits: int = 2

    def candidates(self, division):
        base = self.prefix(division)
        if self.bare_first:
            yield base
        number = 2 if self.bare_first else 1
        while True:
            yield f"{base}{number:0{self.digits}d}"
            number += 1

    def next_code(self, model, division):
        """The first code of the pattern not yet taken by a record of ``model`` (one query)."""
        base = self.prefix(division)
        taken = set(model._default_manager.filter(code__startswith=base).values_list("code", flat=True))
        for candidate in self.candidates(division):
            if candidate not in taken:
                return candidate
        raise AssertionError("unreachable")  # pragma: no cover


def _district(division):
    return division.code[:6]


def _street(division):
    return division.code[:9]


CENTRE = CodeRule(_("SQZX + 社区代码（同一社区第二个设施起加两位序号）"), lambda d: f"SQZX{d.code}", bare_first=True)
TEAM = CodeRule(_("ZYD + 社区代码 + 两位序号"), lambda d: f"ZYD{d.code}")
ELDER = CodeRule(_("LR + 社区代码 + 两位序号"), lambda d: f"LR{d.code}")
WORKER = CodeRule(_("RY + 工作单位代码 + 两位序号"), lambda d: f"RY{d.code}")
DAYCARE = CodeRule(_("YL-R- + 社区代码（第二个起加两位序号）"), lambda d: f"YL-R-{d.code}", bare_first=True)
STREET_CENTRE = CodeRule(_("YL-J- + 街道代码前 9 位（第二个起加两位序号）"), lambda d: f"YL-J-{_street(d)}", bare_first=True)
INSTITUTION = CodeRule(_("YL-Y- + 区县代码前 6 位 + “-” + 两位序号"), lambda d: f"YL-Y-{_district(d)}-")

#: 养老服务设施: the rule follows the kind.
FACILITY_RULES = {"daycare": DAYCARE, "street_centre": STREET_CENTRE, "institution": INSTITUTION}

_EXAMPLE_DIVISION = type("Example", (), {"code": "230302001001"})()


def example(rule):
    return rule.prefix(_EXAMPLE_DIVISION) + ("" if rule.bare_first else "01")


#: The rule of each coded model but 养老服务设施, whose rule follows its kind.
RULES_BY_MODEL = {"facilities.Centre": CENTRE, "volunteers.Team": TEAM, "eldercare.Elder": ELDER,
                  "volunteers.Worker": WORKER}


def pattern_hint(model):
    """How a new record of ``model`` gets its code, in words with an example (“” for a model without a rule):
    what a workbook's blank code cell is told, since the import does not make codes."""
    if model._meta.label == "eldercare.Facility":
        # The kinds read off the model given (core imports no domain app).
        rules = gettext("；").join(
            gettext("%(kind)s：%(pattern)s，如 %(example)s") % {
                "kind": label, "pattern": FACILITY_RULES[kind].pattern, "example": example(FACILITY_RULES[kind])}
            for kind, label in model._meta.get_field("kind").flatchoices
        )
        return gettext("新记录的编号按类型编写（%(rules)s）。") % {"rules": rules}
    rule = RULES_BY_MODEL.get(model._meta.label)
    if rule is None:
        return ""
    return gettext("新记录的编号按“%(pattern)s”编写，如 %(example)s。") % {"pattern": rule.pattern, "example": example(rule)}


class GeneratedCodeAdmin:
    """ModelAdmin mixin: the ``code`` field is generated when left blank; locked for street clerks.

    ``code_division`` names the form field holding the division the code is made from; ``code_rule(cleaned)``
    chooses the rule (a class attribute ``code_rules`` maps nothing, a callable may look at the kind).
    """

    code_division = "community"
    code_rule = None

    def rule_for(self, cleaned):
        return self.code_rule

    def rules_help(self):
        rule = self.code_rule
        return gettext("留空则保存时按规则自动生成：%(pattern)s，例如 %(example)s。") % {
            "pattern": rule.pattern, "example": example(rule)}

    def prepare_code_field(self, field, *, new, locked):
        """Optional (generated when blank); only bureau staff type or change a code."""
        field.required = False
        if new:
            field.help_text = self.rules_help()
            if locked:
                field.widget.attrs["placeholder"] = gettext("保存时自动生成")
        if locked:
            field.disabled = True
            if not new:
                field.help_text = gettext("编号由系统生成，如需更改请联系民政局。")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        admin = self
        locked = not permissions.can_view_all(request.user)

        class CodedForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                field = self.fields.get("code")
                if field is not None:
                    admin.prepare_code_field(field, new=self.instance.pk is None, locked=locked)

            def clean(self):
                cleaned = super().clean()
                if "code" not in self.fields or "code" in self.errors or cleaned.get("code"):
                    return cleaned  # a typed code keeps its own checks (taken, formula-like, …)
                division = cleaned.get(admin.code_division)
                rule = admin.rule_for(cleaned)
                if self.instance.pk is None and division is not None and rule is not None:
                    cleaned["code"] = rule.next_code(self._meta.model, division)
                elif self.instance.pk is None and division is not None:
                    self.add_error("code", gettext("请填写编号。"))
                return cleaned

        CodedForm.__name__ = form.__name__
        return CodedForm

