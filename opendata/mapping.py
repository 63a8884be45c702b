"""The portal's public records as HSDS 3.0 objects (docs/OPEN-DATA.md describes the mapping).

Each community centre, eldercare facility and volunteer team is one *service* with one *service at location*
at one *location* (its address and WGS-84 coordinates), provided by an *organization*: the street office of
its street or town, or, for an eldercare institution, the institution itself (the portal records no separate
operator). Text is Chinese (``language`` "zh") whatever the visitor's language; no personal data: a phone is
published only when it is an institution's landline (``volunteers.privacy.public_phone``), a team leader only as
"姚队长", mobile numbers in free text are blanked out.

Functions here take records whose relations are already loaded (``opendata.selectors``) and make no query.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from core.models import Kind, Level
from core.opening import calendar_days
from eldercare.models import Facility, FacilityKind, Ownership
from facilities.models import Centre
from opendata import taxonomy
from opendata.ids import record_id, stable_id
from opendata.schedules import compact as _compact
from opendata.schedules import languages, phones, schedules
from volunteers import privacy
from volunteers.models import Team

HSDS_VERSION = "3.0"
LANGUAGE = taxonomy.LANGUAGE
HOLIDAY_HORIZON_DAYS = 366
# Chinese names of the closed lists, looked up without gettext (the data is Chinese whatever the language).
KIND_NAMES = {FacilityKind.DAYCARE: "日间照料中心", FacilityKind.STREET_CENTRE: "综合养老服务中心", FacilityKind.INSTITUTION: "养老机构"}
OWNERSHIP_NAMES = {Ownership.PUBLIC: "公办", Ownership.PRIVATE: "民办"}

# GB/T 2260: the first two digits of a division code name the province.
PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省", "22": "吉林省",
    "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
    "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省",
    "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}


def saved_at(record):
    """When the record was last saved, in local time (a caller of both below reads it once for them)."""
    return timezone.localtime(record.updated_at)


def assured_date(record, saved=None):
    """数据核实日期 of a record: the one place that decides it (the date it was last saved, for now).

    Centres carry ``verified_on`` (a clerk's check without an edit): the later of the two counts for them.
    """
    saved = (saved or saved_at(record)).date()
    verified = getattr(record, "verified_on", None)
    return max(saved, verified) if verified else saved


def last_modified(record, saved=None):
    return (saved or saved_at(record)).isoformat(timespec="milliseconds")


@dataclass
class Context:
    """What every object of one response shares: absolute URLs, today and the holiday calendar."""

    base_url: str  # scheme and host, no trailing slash
    today: object
    holidays: list = field(default_factory=list)  # Holiday rows from today on, by date

    def absolute(self, path):
        return f"{self.base_url}{path}"


def calendar_from(today):
    """The special days from ``today`` for a year, by date: the schedules' exceptions (at most one query)."""
    days = calendar_days(today, today + timedelta(days=HOLIDAY_HORIZON_DAYS))
    return [days[day] for day in sorted(days)]


# ------------------------------------------------------------------ places and organizations


def _community(record):
    if isinstance(record, Facility):
        return record.division if record.division.level == Level.COMMUNITY else None
    return record.community


def _street(record):
    if isinstance(record, Facility):
        division = record.division
        return division if division.level == Level.STREET else division.street
    return record.community.street


def _district(record):
    division = record.division if isinstance(record, Facility) else record.community
    return division.district


def runs_itself(record):
    """An eldercare institution is its own operator; everything else is run under its street office."""
    return isinstance(record, Facility) and record.kind == FacilityKind.INSTITUTION


def office_name(street):
    return f"{street.name}人民政府" if street.kind == Kind.TOWN else f"{street.name}办事处"


def office_id(street):
    return stable_id("core.Division", street.pk, "office")


def organization_id(record):
    return record_id(record, "organization") if runs_itself(record) else office_id(_street(record))


def office(street, with_identifiers=True, district=None):
    """The street office; ``district`` spares the street's own district when the caller has it loaded."""
    district = district or (street.district if street.district_id else None)
    district = district.name if district is not None else ""
    obj = {
        "id": office_id(street),
        "name": office_name(street),
        "description": f"{district}{street.name}的基层人民政府（派出机关），负责本{'乡镇' if street.kind == Kind.TOWN else '街道'}社区服务设施的建设与管理。",
        "legal_status": "机关",
    }
    if with_identifiers:
        obj["organization_identifiers"] = [
            {
                "id": stable_id("core.Division", street.pk, "identifier"),
                "organization_id": obj["id"],
                "identifier_scheme": "CN-GBT2260",
                "identifier_type": "统计用区划代码",
                "identifier": street.code,
            }
        ]
    return obj


def institution(facility, with_identifiers=True):
    ownership = OWNERSHIP_NAMES[facility.ownership]
    obj = {
        "id": record_id(facility, "organization"),
        "name": facility.name,
        "description": f"{ownership}养老机构，床位 {facility.beds} 张，其中护理型床位 {facility.nursing_beds} 张。",
        "legal_status": f"{ownership}养老机构",
    }
    if with_identifiers:
        obj["organization_identifiers"] = [
            {
                "id": record_id(facility, "identifier"),
                "organization_id": obj["id"],
                "identifier_type": "设施编号",
                "identifier": facility.code,
            }
        ]
    return obj


def organization_of(record, with_identifiers=False):
    if runs_itself(record):
        return institution(record, with_identifiers)
    return office(_street(record), with_identifiers, district=_district(record))


def _address_text(record):
    if isinstance(record, Team):
        return privacy.redact_mobiles(record.meeting_place).strip() or f"{record.community.name}"
    return record.address


def address(record):
    division = record.division if isinstance(record, Facility) else record.community
    district = _district(record)
    return {
        "id": record_id(record, "address"),
        "location_id": record_id(record, "location"),
        "address_1": _address_text(record),
        "address_2": " ".join(part.name for part in (_street(record), _community(record)) if part is not None),
        "city": settings.CITY_NAME,
        "region": district.name if district is not None else "",
        "state_province": PROVINCES.get(division.code[:2], ""),
        "postal_code": settings.CITY_POSTAL_CODE,  # the city's: the portal records no postcode per address
        "country": "CN",
        "address_type": "physical",
    }


def location(record, nested=True):
    division = _community(record) or _street(record)
    obj = {
        "id": record_id(record, "location"),
        "location_type": "physical",
        "organization_id": organization_id(record),
        "name": _address_text(record) if isinstance(record, Team) else record.name,
        "description": f"位于{_district(record).name if _district(record) else ''}{division.name}。",
        "latitude": getattr(record, "latitude", None),
        "longitude": getattr(record, "longitude", None),
        "external_identifier": division.code,
        "external_identifier_type": "统计用区划代码",
    }
    obj = _compact(obj)
    if nested:
        obj["addresses"] = [_compact(address(record))]
        obj["languages"] = []
    return obj


# ------------------------------------------------------------------ terms and services


def linked(record):
    """A centre's or facility's services, a team's fields, in order: the list a page's records carry
    (``opendata.rows``), else the prefetch (``opendata.selectors``)."""
    found = getattr(record, "linked", None)
    if found is not None:
        return found
    return (record.fields if isinstance(record, Team) else record.services).all()


def terms_of(record):
    if isinstance(record, Centre):
        own = [taxonomy.centre_service_term(service) for service in linked(record)]
        return [taxonomy.KIND_TERMS[taxonomy.KIND_CENTRE], *own]
    if isinstance(record, Facility):
        own = [taxonomy.TEN_HELP_TERMS[service.code] for service in linked(record)]
        return [taxonomy.KIND_TERMS[record.kind], *own]
    return [taxonomy.KIND_TERMS[taxonomy.KIND_TEAM], *(taxonomy.volunteer_field_term(f) for f in linked(record))]


def term_object(term):
    return {
        "id": term.id,
        "code": term.code,
        "name": term.name,
        "description": term.description,
        "taxonomy": term.taxonomy.name,
        "language": LANGUAGE,
        "taxonomy_id": term.taxonomy.id,
    }


def taxonomy_object(tax, context=None):
    obj = {"id": tax.id, "name": tax.name, "description": tax.description, "version": tax.version}
    if context is not None:
        obj["uri"] = context.absolute(reverse("opendata:about")) + f"#{tax.key}"
    return _compact(obj)


def attributes(record):
    return [
        {
            "id": record_id(record, f"attribute:{term.id}"),
            "link_id": record_id(record),
            "link_type": "service_type" if term.taxonomy is taxonomy.KIND else "service_category",
            "link_entity": "service",
            "taxonomy_term_id": term.id,
            "taxonomy_term": term_object(term),
        }
        for term in terms_of(record)
    ]


DETAIL_URLS = {Centre: "facilities:detail", Facility: "eldercare:detail", Team: "volunteers:detail"}
_PK_MARK = 987654321


def _detail_path(record):
    """The resident page of a record: ``reverse`` once per kind and script prefix, then the key put in."""
    return _detail_template(DETAIL_URLS[type(record)], get_script_prefix()).replace(str(_PK_MARK), str(record.pk))


@cache
def _detail_template(name, _prefix):
    return reverse(name, args=[_PK_MARK])


def _yes(flags):
    return "、".join(label for label, on in flags if on)


def description(record):
    place = f"{_district(record).name if _district(record) else ''}{_street(record).name}"
    if isinstance(record, Centre):
        features = _yes(
            (("志愿服务站点", record.has_volunteer_station), ("社会工作服务点", record.has_social_work_point),
             ("政务自助服务", record.has_self_service_terminal))
        )
        parts = [
            f"社区综合服务设施（党群服务中心），位于{place}{record.community.name}。",
            f"总建筑面积 {record.total_area} 平方米，其中居民活动面积 {record.activity_area} 平方米。",
            f"设有{features}。" if features else "",
            "节假日开放。" if record.open_on_holidays else "法定节假日闭馆。",
        ]
    elif isinstance(record, Facility):
        functions = _yes(
            (("全托", record.full_care), ("日托", record.day_care), ("上门服务", record.home_visits), ("对下指导", record.guidance))
        )
        helps = "、".join(taxonomy.TEN_HELPS_NAMES[s.code] for s in linked(record))
        where = record.division.name if record.division.level == Level.COMMUNITY else ""
        parts = [
            f"{KIND_NAMES[record.kind]}（{OWNERSHIP_NAMES[record.ownership]}），位于{place}{where}。",
            f"床位 {record.beds} 张，其中护理型床位 {record.nursing_beds} 张。" if record.beds else "",
            f"功能：{functions}。" if functions else "",
            f"服务项目：{helps}。" if helps else "",
        ]
    else:
        fields = "、".join(f.name for f in linked(record))
        parts = [
            f"志愿服务队，所属{place}{record.community.name}。",
            "以党员为骨干。" if record.party_backbone else "",
            f"队员 {record.member_count} 人。",
            f"服务领域：{fields}。" if fields else "",
            f"负责人：{privacy.leader_title(record.leader)}。" if record.leader.strip() else "",
        ]
    return "".join(parts)


def _application_process(record):
    if isinstance(record, Team):
        text = privacy.redact_mobiles(record.how_to_join)
        if record.leader.strip():
            text = text.replace(record.leader.strip(), str(privacy.leader_title(record.leader)))
        return text or "到活动地点或所在社区咨询。"
    if isinstance(record, Centre):
        return "开放时间内直接前往。"
    return "电话咨询或到设施咨询。"


def service_summary(record, context, *, with_organization=True):
    """The one-to-one fields of a service (compiled/service_list.json)."""
    saved = saved_at(record)
    obj = {
        "id": record_id(record),
        "organization_id": organization_id(record),
        "name": record.name,
        "description": description(record),
        "url": context.absolute(_detail_path(record)),
        "status": "active",
        "application_process": _application_process(record),
        "assured_date": assured_date(record, saved).isoformat(),
        "last_modified": last_modified(record, saved),
    }
    obj = _compact(obj)
    if with_organization:
        obj["organization"] = organization_of(record)
    return obj


def service_minimal(record):
    return {"id": record_id(record), "name": record.name, "status": "active", "last_modified": last_modified(record)}


def service_at_location(record, context, *, nested=True, with_service=False):
    obj = {
        "id": record_id(record, "service_at_location"),
        "service_id": record_id(record),
        "location_id": record_id(record, "location"),
        "description": f"{record.name}：{_address_text(record)}",
    }
    if nested:
        obj |= {
            "contacts": [],
            "phones": [],
            "schedules": schedules(record, context),
            "location": location(record),
            "attributes": [],
        }
    else:
        obj["location"] = location(record, nested=False)
    if with_service:
        obj["service"] = service_full(record, context, with_locations=False) if nested else service_summary(
            record, context, with_organization=False
        )
    return obj


def service_full(record, context, *, with_locations=True):
    """A fully nested service (compiled/service.json)."""
    obj = service_summary(record, context, with_organization=False)
    obj |= {
        "phones": phones(record),
        "schedules": [],
        "service_areas": [],
        "languages": languages(record),
        "organization": organization_of(record, with_identifiers=True),
        "funding": [],
        "cost_options": [],
        "required_documents": [],
        "contacts": [],
        "attributes": attributes(record),
    }
    if with_locations:
        obj["service_at_locations"] = [service_at_location(record, context)]
    return obj
