"""A city-scale workbook for the import benchmark (``manage.py bench_import``).

Codes live under the made-up prefix 2399…, so the generated city never
collides with the demo city; every row is valid and the import must succeed.
"""

import io
import random

from openpyxl import Workbook

from eldercare.models import id_check_digit
from exchange.spec import SHEETS

STREETS_PER_DISTRICT = 8
COMMUNITIES_PER_STREET = 6
HOURS = ("08:30-12:00,13:30-17:30", "08:00-17:00", "09:00-16:00", "休息", "08:00-20:00")
LEVELS = (("无", None), ("助理社会工作师", "Z"), ("社会工作师", "S"), ("高级社会工作师", "G"))
CATEGORIES = ("独居", "空巢", "留守", "失能", "重残", "高龄", "计划生育特殊家庭")


def generate(rows=7000, seed=7):
    """The bytes of a valid workbook with about ``rows`` data rows over all sheets, and its row count."""
    rng = random.Random(seed)  # nosec B311
    data = {sheet.name: [] for sheet in SHEETS}
    communities, streets = _divisions(rng, max(1, rows // 1500), data)
    _facilities(rng, communities, streets, data)
    fixed = sum(len(rows_) for rows_ in data.values())
    remaining = max(rows - fixed, 30)
    workers, elders = remaining * 4 // 10, remaining * 3 // 10
    _workers(rng, workers, communities, streets, data)
    _elders_and_visits(rng, elders, remaining - workers - elders, communities, data)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append(sheet.headers)
        for row in data[sheet.name]:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), sum(len(rows_) for rows_ in data.values())


def _divisions(rng, districts_count, data):
    communities, streets = [], []
    for d in range(1, districts_count + 1):
        district = f"2399{d:02d}000000"
        data["区县"].append([district, f"基准{d}区"])
        for s in range(1, STREETS_PER_DISTRICT + 1):
            rural = s > STREETS_PER_DISTRICT - 2
            street = f"{district[:6]}{s:03d}000"
            streets.append(street)
            data["街道乡镇"].append([street, f"基准{d}-{s}{'镇' if rural else '街道'}", district, "乡镇" if rural else "街道"])
            for c in range(1, COMMUNITIES_PER_STREET + 1):
                code = f"{street[:9]}{c:03d}"
                communities.append(code)
                households = rng.randint(300, 3000)
                data["社区村"].append([
                    code, f"基准{d}-{s}-{c}{'村' if rural else '社区'}", street, "村" if rural else "社区",
                    households, households * 2 + rng.randint(0, 500), households // 2,
                    round(45.2 + rng.random() / 5, 6), round(130.9 + rng.random() / 5, 6),
                ])
    return communities, streets


def _facilities(rng, communities, streets, data):
    for number, community in enumerate(communities, start=1):
        total = round(rng.uniform(120, 1200), 1)
        data["综合服务设施"].append([
            f"BQ{number:06d}", f"{community}党群服务中心", community, "某路 1 号", total, round(total * 0.7, 1),
            *(rng.choice(HOURS) for _day in range(7)), "是", rng.choice("是否"), rng.choice("是否"), "否",
            f"0467-{rng.randint(2000000, 8999999)}", "运营中",
        ])
    facilities = []
    for number, community in enumerate(communities[::2], start=1):
        facilities.append([f"BY{number:06d}", f"{community}日间照料中心", "日间照料中心", community, "某路", 10, 0,
                           "公办", "否", "是", "是", "否", "助餐;助浴；助医", "", "", "0467-2345678", "运营中"])
    for number, street in enumerate(streets, start=len(facilities) + 1):
        beds = rng.randint(20, 300)
        facilities.append([f"BY{number:06d}", f"{street}养老院", "养老机构", street, "某街", beds, beds // 2,
                           rng.choice(("公办", "民办")), "是", "否", "否", "否", "助医;助浴", 45.3, 130.95,
                           "0467-3456789", "运营中"])
    data["养老服务设施"] = facilities
    for number, community in enumerate(communities * 2, start=1):
        data["志愿服务队"].append([f"BZ{number:06d}", f"志愿服务{number}队", community, rng.choice("是否"),
                                 rng.randint(5, 80), "张三", f"138{rng.randint(10000000, 99999999)}", "助老;环境;治安"])


def _workers(rng, count, communities, streets, data):
    for number in range(1, count + 1):
        level, prefix = rng.choice(LEVELS)
        station = number % 25 == 0
        workplace = rng.choice(streets) if station else rng.choice(communities)
        certified = prefix is not None
        data["社区工作者"].append([
            f"BR{number:06d}", "李四", workplace, "社工站人员" if station else "社区工作者", rng.choice("是是是否"),
            level, f"{prefix}{number:09d}" if certified else "", "2020-05-01" if certified else "",
            "2026-05-01" if certified else "",
        ])


def _elders_and_visits(rng, elders, visits, communities, data):
    elder_codes = []
    for number in range(1, elders + 1):
        first17 = f"230302{1930 + number % 30}{1 + number % 12:02d}{1 + number % 28:02d}{number % 1000:03d}"
        code = f"BL{number:06d}"
        elder_codes.append(code)
        data["特殊困难老年人"].append([code, "王五", rng.choice(communities), rng.choice(CATEGORIES),
                                 first17 + id_check_digit(first17), f"139{rng.randint(10000000, 99999999)}"])
    for number in range(visits):
        data["探访记录"].append([elder_codes[number % len(elder_codes)], f"2025-06-{1 + number // len(elder_codes):02d}",
                             "赵六", rng.choice(("上门", "电话"))])
