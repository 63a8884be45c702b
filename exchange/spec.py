"""The data-exchange workbook layout (DOMAIN.md "Data exchange workbook").

One sheet per record kind, in dependency order; first row = the headers below.
Each column names the model field it fills and how its cell is read and written.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.fields import Status
from core.hours import WEEKDAY_FIELDS
from core.models import Division, Kind
from eldercare.models import CareService, Elder, ElderCategory, Facility, FacilityKind, Ownership, Visit
from exchange import sheetkinds
from facilities.models import Centre
from volunteers.models import CertificateLevel, Team, Worker, WorkerRole


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str  # code | text | int | decimal | float | bool | date | choice | hours | phone | ref | multi
    choices: tuple = ()
    #: A personal-data column: left out of exports for people who may not see it, optional on import.
    personal: bool = False
    #: For ``ref`` columns: what the code points to ("division" or "elder").
    target: str = "division"
    #: For ``multi`` columns: at least one value is needed.
    required: bool = False

    @property
    def dropdown(self):
        """The closed list offered as an Excel dropdown, if any."""
        if self.kind == "bool":
            return ("是", "否")
        if self.kind == "choice":
            return tuple(str(label) for _value, label in self.choices)
        return ()


@dataclass(frozen=True)
class Sheet:
    name: str
    model: type
    columns: tuple
    #: Division kinds a row of this sheet may have (division sheets only).
    division_kinds: tuple = ()
    description: str = ""
    key_fields: tuple = ("code",)
    #: How the sheet's rows find, fill and check their records (``exchange.sheetkinds``).
    behaviour: sheetkinds.Records = sheetkinds.RECORDS

    @property
    def headers(self):
        return [column.header for column in self.columns]

    @property
    def key_columns(self):
        return [column for column in self.columns if column.field in self.key_fields]

    def header_of(self, field_name):
        """The header of the column filling ``field_name`` (None: no column does)."""
        return next((column.header for column in self.columns if column.field == field_name), None)

    @property
    def many_field(self):
        """The many-to-many field filled from a ``;``-separated cell, if any."""
        return next((column.field for column in self.columns if column.kind == "multi"), None)

    @property
    def required_headers(self):
        return [column.header for column in self.columns if not column.personal]


def _choices(choices):
    return tuple((value, label) for value, label in choices)


DIVISION_CODE = Column("区划代码", "code", "code")
DIVISION_NAME = Column("名称", "name", "text")
STATUS = Column("状态", "status", "choice", _choices(Status.choices))
PHONE = Column("联系电话", "phone", "phone")
LATITUDE = Column("纬度", "latitude", "float")
LONGITUDE = Column("经度", "longitude", "float")
DAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

SHEETS = (
    Sheet(
        "区县", Division,
        (DIVISION_CODE, DIVISION_NAME),
        division_kinds=(Kind.DISTRICT,), behaviour=sheetkinds.DIVISIONS,
        description=_("区划代码为 12 位统计用区划代码，区县后六位为 0。"),
    ),
    Sheet(
        "街道乡镇", Division,
        (
            DIVISION_CODE, DIVISION_NAME, Column("所属区县代码", "parent", "ref"),
            Column("类型", "kind", "choice", ((Kind.STREET.value, "街道"), (Kind.TOWN.value, "乡镇"))),
        ),
        division_kinds=(Kind.STREET, Kind.TOWN), behaviour=sheetkinds.DIVISIONS,
        description=_("街道乡镇代码后三位为 0，前六位与所属区县相同。"),
    ),
    Sheet(
        "社区村", Division,
        (
            DIVISION_CODE, DIVISION_NAME, Column("所属街道代码", "parent", "ref"),
            Column("类型", "kind", "choice", ((Kind.COMMUNITY.value, "社区"), (Kind.VILLAGE.value, "村"))),
            Column("户数", "households", "int"), Column("常住人口", "population", "int"),
            Column("60岁以上人口", "population_60plus", "int"), LATITUDE, LONGITUDE,
        ),
        division_kinds=(Kind.COMMUNITY, Kind.VILLAGE), behaviour=sheetkinds.DIVISIONS,
        description=_("户数至少为 1；纬度、经度为 WGS-84 坐标，须同时填写或同时留空。"),
    ),
    Sheet(
        "综合服务设施", Centre,
        (
            Column("设施编号", "code", "code"), Column("名称", "name", "text"),
            Column("所属社区代码", "community", "ref"), Column("地址", "address", "text"),
            Column("总建筑面积", "total_area", "decimal"), Column("居民活动面积", "activity_area", "decimal"),
            *(Column(day, day_field, "hours") for day, day_field in zip(DAYS, WEEKDAY_FIELDS, strict=True)),
            Column("节假日全天开放", "open_on_holidays", "bool"),
            Column("志愿服务站点", "has_volunteer_station", "bool"),
            Column("社会工作服务点", "has_social_work_point", "bool"),
            Column("政务自助服务", "has_self_service_terminal", "bool"),
            PHONE, STATUS,
        ),
        description=_("开放时间如 08:30-11:30,13:30-17:30（每天最多两个时段），不开放填“休息”；面积单位为平方米。"),
    ),
    Sheet(
        "养老服务设施", Facility,
        (
            Column("设施编号", "code", "code"), Column("名称", "name", "text"),
            Column("类型", "kind", "choice", _choices(FacilityKind.choices)),
            Column("所属区划代码", "division", "ref"), Column("地址", "address", "text"),
            Column("床位数", "beds", "int"), Column("护理型床位数", "nursing_beds", "int"),
            Column("性质", "ownership", "choice", _choices(Ownership.choices)),
            Column("全托", "full_care", "bool"), Column("日托", "day_care", "bool"),
            Column("上门服务", "home_visits", "bool"), Column("对下指导", "guidance", "bool"),
            Column("服务项目", "services", "multi", _choices(CareService.Code.choices)),
            LATITUDE, LONGITUDE, PHONE, STATUS,
        ),
        description=_("日间照料中心填社区代码，综合养老服务中心填街道乡镇代码；服务项目为“十助”，用分号分隔。"),
    ),
    Sheet(
        "志愿服务队", Team,
        (
            Column("队伍编号", "code", "code"), Column("名称", "name", "text"),
            Column("所属社区代码", "community", "ref"), Column("党员骨干", "party_backbone", "bool"),
            Column("队员人数", "member_count", "int"), Column("负责人", "leader", "text"), PHONE,
            Column("服务领域", "fields", "multi"),
        ),
        description=_("服务领域从民政局维护的列表中选填，多个用分号 ; 分隔（列表见下一行）。"),
    ),
    Sheet(
        "社区工作者", Worker,
        (
            Column("人员编号", "code", "code"), Column("姓名", "name", "text"),
            Column("工作单位代码", "workplace", "ref"),
            Column("岗位", "role", "choice", _choices(WorkerRole.choices)),
            Column("在岗", "on_duty", "bool"),
            Column("职业资格等级", "level", "choice", _choices(CertificateLevel.choices)),
            Column("证书编号", "certificate_number", "code"),
            Column("取得日期", "obtained_on", "date"), Column("登记有效期至", "registration_valid_until", "date"),
        ),
        description=_("工作单位代码填社区代码，社工站人员填街道乡镇代码；日期为 YYYY-MM-DD。"),
        behaviour=sheetkinds.WORKERS,
    ),
    Sheet(
        "特殊困难老年人", Elder,
        (
            Column("老人编号", "code", "code"), Column("姓名", "name", "text"),
            Column("所属社区代码", "community", "ref"),
            Column("类别", "categories", "multi", _choices(ElderCategory.Code.choices), required=True),
            Column("身份证号", "id_number", "code", personal=True),
            Column("联系电话", "phone", "phone", personal=True),
        ),
        description=_("类别可填多个，用“;”分隔（如 独居;失能）。个人信息：身份证号、联系电话只向本街道和民政局导出。"),
        behaviour=sheetkinds.ELDERS,
    ),
    Sheet(
        "探访记录", Visit,
        (
            Column("老人编号", "elder", "ref", target="elder"), Column("探访日期", "visited_on", "date"),
            Column("探访人", "visitor", "text"),
            Column("方式", "method", "choice", _choices(Visit.Method.choices)),
        ),
        key_fields=("elder", "visited_on", "visitor", "method"), behaviour=sheetkinds.VISITS,
        description=_("一条探访由 老人编号、探访日期、探访人、方式 共同确定。"),
    ),
)

SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}
INSTRUCTIONS_SHEET = "说明"
