"""The taxonomies the open data publishes, and which records each term selects.

Four taxonomies: the kinds of record (a closed list of the portal), the ten helps (十助, the national list
DOMAIN.md names), the centres' service items (the bureau's list) and the volunteer service fields (the
bureau's list). Terms of the two closed lists are named by code, the others by primary key (``opendata.ids``).
"""

from dataclasses import dataclass

from django.db.models import Q

from eldercare.models import CareService, FacilityKind
from facilities.models import Service
from opendata.ids import stable_id
from volunteers.models import ServiceField

LANGUAGE = "zh"

KIND_CENTRE, KIND_TEAM = "centre", "volunteer_team"
#: (code, name, description) of the kinds of record, in the order the services are listed.
KINDS = (
    (KIND_CENTRE, "社区综合服务设施", "社区综合服务设施（党群服务中心）：居民活动、志愿服务、社会工作和政务服务的场所。"),
    (FacilityKind.DAYCARE.value, "日间照料中心", "社区日间照料中心：为社区老年人提供日间照料、助餐等服务。"),
    (FacilityKind.STREET_CENTRE.value, "综合养老服务中心", "街道（乡镇）综合养老服务中心：全托、日托、上门服务和对下指导。"),
    (FacilityKind.INSTITUTION.value, "养老机构", "养老机构（含农村敬老院）：为老年人提供集中居住和照料服务。"),
    (KIND_TEAM, "志愿服务队", "社区志愿服务队：居民可以加入的志愿服务组织。"),
)

TEN_HELPS_CODES = [code for code, _label in CareService.Code.choices]
TEN_HELPS_NAMES = {
    "meals": "助餐", "bathing": "助浴", "medical": "助医", "cleaning": "助洁", "emergency": "助急",
    "mobility": "助行", "shopping": "助购", "recreation": "助乐", "companionship": "助聊", "learning": "助学",
}


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str
    version: str = ""

    @property
    def id(self):
        return stable_id("opendata.Taxonomy", self.key)


KIND = Taxonomy("kind", "社区服务设施和队伍类型", "本平台公开的五类服务：社区综合服务设施、日间照料中心、综合养老服务中心、养老机构、志愿服务队。", "1")
TEN_HELPS = Taxonomy(
    "ten-helps", "养老服务“十助”",
    "养老服务设施提供的服务项目：助餐、助浴、助医、助洁、助急、助行、助购、助乐、助聊、助学。", "1",
)
CENTRE_SERVICES = Taxonomy("centre-services", "社区综合服务设施服务项目", "民政局维护的社区综合服务设施服务项目清单。")
VOLUNTEER_FIELDS = Taxonomy("volunteer-fields", "志愿服务领域", "民政局维护的志愿服务队服务领域清单。")
TAXONOMIES = (KIND, TEN_HELPS, CENTRE_SERVICES, VOLUNTEER_FIELDS)


@dataclass(frozen=True)
class Term:
    taxonomy: Taxonomy
    key: str  # code (closed lists) or primary key (the bureau's lists)
    code: str
    name: str
    description: str

    @property
    def id(self):
        return stable_id(f"opendata.Term.{self.taxonomy.key}", self.key)


def kind_terms():
    return [Term(KIND, code, code, name, description) for code, name, description in KINDS]


def ten_help_terms():
    return [
        Term(TEN_HELPS, code, code, TEN_HELPS_NAMES[code], f"养老服务“十助”之一：{TEN_HELPS_NAMES[code]}。")
        for code in TEN_HELPS_CODES
    ]


def centre_service_term(service):
    return Term(CENTRE_SERVICES, str(service.pk), str(service.pk), service.name, f"社区综合服务设施服务项目：{service.name}。")


def volunteer_field_term(field):
    return Term(VOLUNTEER_FIELDS, str(field.pk), str(field.pk), field.name, f"志愿服务领域：{field.name}。")


def all_terms():
    """Every term of every taxonomy (two queries: the bureau's two lists)."""
    return [
        *kind_terms(),
        *ten_help_terms(),
        *(centre_service_term(service) for service in Service.objects.order_by("ordering", "name")),
        *(volunteer_field_term(field) for field in ServiceField.objects.order_by("name")),
    ]


KIND_TERMS = {term.code: term for term in kind_terms()}
TEN_HELP_TERMS = {term.code: term for term in ten_help_terms()}


def taxonomy_by_id(text):
    return next((taxonomy for taxonomy in TAXONOMIES if taxonomy.id == text), None)


def term_by_id(text):
    return next((term for term in all_terms() if term.id == text), None)


@dataclass(frozen=True)
class Selection:
    """What a taxonomy filter keeps of each kind of record: a Q, or None for none of that kind."""

    centre: Q | None = None
    facility: Q | None = None
    team: Q | None = None


NOTHING = Selection()
EVERYTHING = Selection(Q(), Q(), Q())


def selection_for_term(term):
    if term is None:
        return NOTHING
    if term.taxonomy is KIND:
        if term.code == KIND_CENTRE:
            return Selection(centre=Q())
        if term.code == KIND_TEAM:
            return Selection(team=Q())
        return Selection(facility=Q(kind=term.code))
    if term.taxonomy is TEN_HELPS:
        return Selection(facility=Q(services__code=term.code))
    if term.taxonomy is CENTRE_SERVICES:
        return Selection(centre=Q(services__pk=int(term.key)))
    return Selection(team=Q(fields__pk=int(term.key)))


def selection_for_taxonomy(taxonomy):
    if taxonomy is None:
        return NOTHING
    if taxonomy is KIND:
        return EVERYTHING
    if taxonomy is TEN_HELPS:
        return Selection(facility=Q(services__isnull=False))
    if taxonomy is CENTRE_SERVICES:
        return Selection(centre=Q(services__isnull=False))
    return Selection(team=Q(fields__isnull=False))
