"""Demo province: 鸡西市 (Heilongjiang) and a small second city, coded like the real statistical codes.

鸡西市 is the demo city of every page; 双鸭山市 (one district, one street, three communities, no
facilities) is there so that the province's board has more than one city. Figures are invented but
plausible. Everything is created with update_or_create on the code, so running ``seed_demo`` again
changes nothing.
"""

from core.models import Division, Kind
from core.seeding import Upsert

CITY = {
    ("230302000000", "鸡冠区"): {
        ("230302001000", "向阳街道", Kind.STREET): ["建设社区", "红旗社区", "和平社区", "文化社区"],
        ("230302002000", "南山街道", Kind.STREET): ["南山社区", "铁东社区", "园林社区"],
        ("230302003000", "立新街道", Kind.STREET): ["立新社区", "电台社区", "红星社区"],
        ("230302200000", "红星乡", Kind.TOWN): ["红星村", "团结村", "东兴村"],
    },
    ("230303000000", "恒山区"): {
        ("230303001000", "桦木街道", Kind.STREET): ["桦木社区", "东山社区", "恒山社区"],
        ("230303002000", "小恒山街道", Kind.STREET): ["小恒山社区", "大恒山社区"],
        ("230303200000", "红旗乡", Kind.TOWN): ["红旗村", "新立村"],
    },
    ("230321000000", "鸡东县"): {
        ("230321001000", "鸡东镇街道", Kind.STREET): ["东升社区", "向阳社区", "振兴社区"],
        ("230321100000", "平阳镇", Kind.TOWN): ["平阳村", "保安村", "太平村"],
        ("230321101000", "永安镇", Kind.TOWN): ["永安村", "永和村"],
    },
}
PROVINCE = ("230000000000", "黑龙江省")
JIXI = ("230300000000", "鸡西市")
OTHER_CITY = ("230500000000", "双鸭山市")
OTHER_CITY_DIVISIONS = {
    ("230502000000", "尖山区"): {
        ("230502001000", "中心站街道", Kind.STREET): ["中心社区", "东平社区", "西平社区"],
    },
}
# Base coordinates of 鸡西市 (城区 ≈ 45.30°N, 130.97°E).
BASE_LAT, BASE_LON = 45.295, 130.969


def seed(stdout, rng):
    upsert = Upsert(Division)
    province, _ = upsert(
        code=PROVINCE[0], defaults={"name": PROVINCE[1], "kind": Kind.PROVINCE, "parent": None}
    )
    created = _seed_city(upsert, JIXI, CITY, province, rng, index=0)
    created += _seed_city(upsert, OTHER_CITY, OTHER_CITY_DIVISIONS, province, rng, index=100)
    stdout.write(f"区划：新建 {created} 个，共 {Division.objects.count()} 个")


def _seed_city(upsert, city_row, districts, province, rng, *, index):
    city, created = upsert(
        code=city_row[0], defaults={"name": city_row[1], "kind": Kind.CITY, "parent": province}
    )
    community_index = index
    for (district_code, district_name), streets in districts.items():
        district, was_created = upsert(
            code=district_code, defaults={"name": district_name, "kind": Kind.DISTRICT, "parent": city}
        )
        created += was_created
        for (street_code, street_name, street_kind), communities in streets.items():
            street, was_created = upsert(
                code=street_code, defaults={"name": street_name, "kind": street_kind, "parent": district}
            )
            created += was_created
            for number, community_name in enumerate(communities, start=1):
                community_index += 1
                village = street_kind == Kind.TOWN
                households = rng.randint(300, 900) if village else rng.randint(1200, 3200)
                population = int(households * rng.uniform(2.3, 2.9))
                # The last community of each street has no coordinates: a data-quality problem to show.
                located = number != len(communities) or street_kind == Kind.TOWN
                code = f"{street_code[:9]}{number + (200 if village else 0):03d}"
                _, was_created = upsert(
                    code=code,
                    defaults={
                        "name": community_name if not village else community_name + "村委会",
                        "kind": Kind.VILLAGE if village else Kind.COMMUNITY,
                        "parent": street,
                        "households": households,
                        "population": population,
                        "population_60plus": int(population * rng.uniform(0.2, 0.3)),
                        "latitude": round(BASE_LAT + community_index * 0.004, 6) if located else None,
                        "longitude": round(BASE_LON + (community_index % 5) * 0.005, 6) if located else None,
                    },
                )
                created += was_created
    return created
