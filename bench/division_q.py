"""``core.scoping.division_q`` on a benchmark database: the old OR across a join against the id subquery.

    python -m bench.division_q postgresql://postgres@127.0.0.1:5432/portal_bench_40x

Read-only: EXPLAIN ANALYZE and five timed runs of each form, for the centres of one street and the elders
of one district (the street page's and the drill-downs' filters). Prints the plans and the best time.
"""

import sys
import time

#: (title, level) → (the OR across the join, the id subquery): the same rows, written both ways.
QUERIES = {
    ("centres of a street", "street"): (
        "SELECT count(*) FROM facilities_centre t JOIN core_division d ON d.id = t.community_id "
        "WHERE t.community_id = %(x)s OR d.street_id = %(x)s",
        "SELECT count(*) FROM facilities_centre t WHERE t.community_id IN "
        "(SELECT id FROM core_division WHERE id = %(x)s OR street_id = %(x)s)",
    ),
    ("elders of a district", "district"): (
        "SELECT count(*) FROM eldercare_elder t JOIN core_division d ON d.id = t.community_id "
        "WHERE t.community_id = %(x)s OR d.district_id = %(x)s",
        "SELECT count(*) FROM eldercare_elder t WHERE t.community_id IN "
        "(SELECT id FROM core_division WHERE id = %(x)s OR district_id = %(x)s)",
    ),
}


def main(url):
    import psycopg

    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        for (title, level), forms in QUERIES.items():
            cursor.execute("SELECT id, code FROM core_division WHERE level = %s ORDER BY code", (level,))
            divisions = cursor.fetchall()
            x, code = divisions[len(divisions) // 2]
            for old, text in zip((True, False), forms, strict=True):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + text, {"x": x})
                plan = [row[0] for row in cursor.fetchall()]
                best = float("inf")
                for _ in range(5):
                    started = time.perf_counter()
                    cursor.execute(text, {"x": x})
                    rows = cursor.fetchone()[0]
                    best = min(best, time.perf_counter() - started)
                label = "OR across the join" if old else "id subquery"
                print(f"== {title} {code}, {label}: {rows} rows, best of 5 {best * 1000:.1f} ms")
                print("\n".join(plan), end="\n\n")
            connection.rollback()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "postgresql://postgres@127.0.0.1:5432/portal_bench_40x")
