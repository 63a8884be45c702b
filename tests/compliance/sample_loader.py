"""Loads ``shared/data/sample-workbook.xlsx`` into the models, for the export test only.

A deliberately small reader (no validation, no error report): the real importer is the
exchange app's; the lead will switch the export test to it once it is merged.
"""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from core.fields import Status
from core.hours import WEEKDAY_FIELDS, normalise_hours
from core.models import Division, Kind

SAMPLE = Path("/work/shared/data/sample-workbook.xlsx")
YES = {"是": True, "否": False}
STATUS = {"运营中": Status.OPERATING, "在建": Status.CONSTRUCTION, "停用": Status.CLOSED}


def _rows(book, sheet):
    rows = book[sheet].iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, row, strict=False)) for row in rows if any(cell is not None for cell in row)]


def _date(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip()[:10])


def load_sample(path=SAMPLE):
    from eldercare.models import Elder, Facility, FacilityKind, Ownership, Visit
    from facilities.models import Centre
    from volunteers.models import CertificateLevel, Team, Worker, WorkerRole

    book = load_workbook(path, read_only=True, data_only=True)
    divisions = {}
    for row in _rows(book, "区县"):
        divisions[row["区划代码"]] = Division.objects.create(code=row["区划代码"], name=row["名称"], kind=Kind.DISTRICT)
    for row in _rows(book, "街道乡镇"):
        kind = Kind.STREET if row["类型"] == "街道" else Kind.TOWN
        divisions[row["区划代码"]] = Division.objects.create(
            code=row["区划代码"], name=row["名称"], kind=kind, parent=divisions[row["所属区县代码"]]
        )
    for row in _rows(book, "社区村"):
        kind = Kind.COMMUNITY if row["类型"] == "社区" else Kind.VILLAGE
        divisions[row["区划代码"]] = Division.objects.create(
            code=row["区划代码"], name=row["名称"], kind=kind, parent=divisions[row["所属街道代码"]],
            households=row["户数"], population=row["常住人口"], population_60plus=row["60岁以上人口"],
            latitude=row["纬度"], longitude=row["经度"],
        )
    days = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
    for row in _rows(book, "综合服务设施"):
        Centre.objects.create(
            code=row["设施编号"], name=row["名称"], community=divisions[row["所属社区代码"]], address=row["地址"],
            total_area=Decimal(str(row["总建筑面积"])), activity_area=Decimal(str(row["居民活动面积"])),
            **{field: normalise_hours(row[day]) for field, day in zip(WEEKDAY_FIELDS, days, strict=True)},
            open_on_holidays=YES[row["节假日全天开放"]], has_volunteer_station=YES[row["志愿服务站点"]],
            has_social_work_point=YES[row["社会工作服务点"]], has_self_service_terminal=YES[row["政务自助服务"]],
            phone=row["联系电话"] or "", status=STATUS[row["状态"]],
        )
    kinds = {"日间照料中心": FacilityKind.DAYCARE, "综合养老服务中心": FacilityKind.STREET_CENTRE,
             "养老机构": FacilityKind.INSTITUTION}
    for row in _rows(book, "养老服务设施"):
        Facility.objects.create(
            code=row["设施编号"], name=row["名称"], kind=kinds[row["类型"]], division=divisions[row["所属区划代码"]],
            address=row["地址"], beds=row["床位数"] or 0, nursing_beds=row["护理型床位数"] or 0,
            ownership=Ownership.PUBLIC if row["性质"] == "公办" else Ownership.PRIVATE,
            full_care=YES[row["全托"]], day_care=YES[row["日托"]], home_visits=YES[row["上门服务"]],
            guidance=YES[row["对下指导"]], latitude=row["纬度"], longitude=row["经度"],
            phone=row["联系电话"] or "", status=STATUS[row["状态"]],
        )
    for row in _rows(book, "志愿服务队"):
        Team.objects.create(
            code=row["队伍编号"], name=row["名称"], community=divisions[row["所属社区代码"]],
            party_backbone=YES[row["党员骨干"]], member_count=row["队员人数"] or 0, leader=row["负责人"] or "",
        )
    levels = {label: value for value, label in CertificateLevel.choices}
    roles = {label: value for value, label in WorkerRole.choices}
    for row in _rows(book, "社区工作者"):
        Worker.objects.create(
            code=row["人员编号"], name=row["姓名"], workplace=divisions[row["工作单位代码"]], role=roles[row["岗位"]],
            on_duty=YES[row["在岗"]], level=levels[row["职业资格等级"]], certificate_number=row["证书编号"] or None,
            obtained_on=_date(row["取得日期"]), registration_valid_until=_date(row["登记有效期至"]),
        )
    categories = {label: value for value, label in Elder.Category.choices}
    elders = {}
    for row in _rows(book, "特殊困难老年人"):
        elders[row["老人编号"]] = Elder.objects.create(
            code=row["老人编号"], name=row["姓名"], community=divisions[row["所属社区代码"]],
            category=categories[row["类别"]], id_number=row["身份证号"], phone=row["联系电话"] or "",
        )
    methods = {label: value for value, label in Visit.Method.choices}
    for row in _rows(book, "探访记录"):
        Visit.objects.create(
            elder=elders[row["老人编号"]], visited_on=_date(row["探访日期"]), visitor=row["探访人"],
            method=methods[row["方式"]],
        )
    return divisions
