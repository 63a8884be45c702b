"""The one search's trigram indexes keep at most 256 kB of pending entries (PostgreSQL); nothing on SQLite.

A GIN index gathers new entries in a pending list that every search reads in full, until a vacuum or the list's
limit (4 MB by default) merges it into the index. After the benchmark's clerks renamed 571 of the 1× city's 3,000
teams (fewer than autovacuum waits for), the teams' list was 191 pages: PostgreSQL then scanned the whole table for
every search (3 ms instead of 0.2). At 256 kB a search reads at most 32 pending pages, and a bulk writer still adds
its rows a list at a time.
"""

from django.db import migrations

SEARCH_INDEXES = ("portal_centre_search_trgm", "portal_facility_search_trgm", "portal_team_search_trgm")


def limit(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCH_INDEXES:
        schema_editor.execute(f'ALTER INDEX "{name}" SET (gin_pending_list_limit = 256)')
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])


def unlimit(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCH_INDEXES:
        schema_editor.execute(f'ALTER INDEX "{name}" RESET (gin_pending_list_limit)')


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_sphere_indexes")]

    operations = [migrations.RunPython(limit, unlimit)]
