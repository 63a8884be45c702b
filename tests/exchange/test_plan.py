"""The workbook is read once: the preview's plan is what the confirm writes (exchange.plan), refused if stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Division, ImportBatch
from eldercare.models import Elder, Facility, Visit
from exchange import plan as plan_module
from exchange import reader
from exchange.importer import import_workbook
from exchange.plan import apply_plan
from facilities.models import Centre
from tests.exchange.helpers import edit_sample, sample_bytes, workbook_bytes
from volunteers.models import ServiceField, Team, Worker

pytestmark = pytest.mark.django_db

MODELS = (Division, Centre, Facility, Team, Worker, Elder, Visit)


def snapshot():
    """Every imported record's stored fields, by model and key (what a direct import and a plan must agree on)."""
    skip = {"id", "created_at", "updated_at"}
    rows = {}
    for model in MODELS:
        names = [f"{field.name}__code" if field.is_relation and hasattr(field.related_model, "code") else field.attname
                 for field in model._meta.concrete_fields if field.name not in skip]
        for values in model.objects.values_list(*names):
            rows.setdefault(model.__name__, []).append(values)
    for team in Team.objects.prefetch_related("fields"):
        rows.setdefault("team fields", []).append((team.code, sorted(field.name for field in team.fields.all())))
    for facility in Facility.objects.prefetch_related("services"):
        rows.setdefault("services", []).append((facility.code, sorted(s.code for s in facility.services.all())))
    return {name: sorted(values, key=repr) for name, values in rows.items()}


def without_workbook(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the confirm read the workbook again")

    monkeypatch.setattr(reader, "load_workbook", refuse)


def test_applying_the_sample_workbooks_plan_writes_what_a_direct_import_writes(boss, monkeypatch):
    direct = import_workbook(sample_bytes(), file_name="s.xlsx", user=boss)
    assert direct.ok
    expected = snapshot()
    for model in (Visit, Worker, Elder, Team, Facility, Centre):
        model.objects.all().delete()
    Division.objects.filter(parent__isnull=False, street__isnull=False).delete()
    Division.objects.filter(parent__isnull=False).delete()
    Division.objects.all().delete()
    preview = import_workbook(sample_bytes(), file_name="s.xlsx", user=boss, dry_run=True)
    assert preview.ok and preview.plan is not None and not Division.objects.exists()
    without_workbook(monkeypatch)
    result = apply_plan(preview.plan, file_name="s.xlsx", sha256=preview.sha256, user=boss)
    assert result.ok, result.errors
    assert snapshot() == expected  # new divisions, elders and their references resolved by code
    batch = ImportBatch.objects.get(pk=result.batch.pk)
    assert batch.summary == direct.summary()
    assert Centre.history.filter(import_batch=batch, history_type="+").count() == 12


def test_a_plan_of_changes_updates_the_records_with_their_history_and_versions(boss, monkeypatch):
    import_workbook(sample_bytes(), file_name="s.xlsx", user=boss)
    changed = edit_sample(lambda workbook: workbook["综合服务设施"].cell(row=2, column=2, value="改名中心"))
    preview = import_workbook(changed, file_name="c.xlsx", user=boss, dry_run=True)
    code = Centre.objects.order_by("code").values_list("code", flat=True)[0]
    assert Centre.objects.get(code=code).version == 1  # a preview writes nothing
    without_workbook(monkeypatch)
    result = apply_plan(preview.plan, file_name="c.xlsx", sha256=preview.sha256, user=boss)
    assert result.ok
    centre = Centre.objects.get(name="改名中心")
    assert centre.version == 2
    latest = centre.history.order_by("-history_id").first()
    assert (latest.history_type, latest.version, latest.import_batch_id) == ("~", 2, result.batch.pk)


def test_a_plan_is_refused_whole_when_a_record_changed_after_the_preview(city, adam):
    ServiceField.objects.get_or_create(name="助老")
    teams = [["ZY1", "一队", "230302001001", "是", 5, "张", "", "助老"],
             ["ZY2", "二队", "230302001001", "是", 5, "张", "", "助老"]]
    assert import_workbook(workbook_bytes({"志愿服务队": teams}), file_name="a.xlsx", user=adam).ok
    renamed = [[code, f"{name}改", *rest] for code, name, *rest in teams] + [
        ["ZY3", "三队", "230302001001", "是", 5, "张", "", "助老"]]
    preview = import_workbook(workbook_bytes({"志愿服务队": renamed}), file_name="b.xlsx", user=adam, dry_run=True)
    assert preview.summary()["志愿服务队"] == {"created": 1, "updated": 2, "unchanged": 0}
    Team.objects.filter(code="ZY2").update(version=5)  # someone else saved it meanwhile
    result = apply_plan(preview.plan, file_name="b.xlsx", sha256=preview.sha256, user=adam)
    assert not result.ok and result.batch is None
    assert result.errors == ["志愿服务队 ZY2：预览后已被 adam 修改（预览时版本 1，现在版本 5），为避免覆盖他人的修改，本次导入未执行，请重新上传预览。"]
    assert sorted(Team.objects.values_list("name", flat=True)) == ["一队", "二队"]  # nothing written, ZY3 neither


def test_a_plan_is_refused_when_someone_created_one_of_its_codes_meanwhile(city, adam):
    ServiceField.objects.get_or_create(name="助老")
    data = workbook_bytes({"志愿服务队": [["ZY9", "九队", "230302001001", "是", 5, "张", "", "助老"]]})
    preview = import_workbook(data, file_name="a.xlsx", user=adam, dry_run=True)
    Team.objects.create(code="ZY9", name="别人的九队", community=city["community_a"], member_count=1)
    result = apply_plan(preview.plan, file_name="a.xlsx", sha256=preview.sha256, user=adam)
    assert not result.ok
    assert "志愿服务队 ZY9：预览后已被他人新增" in result.errors[0]
    assert list(Team.objects.values_list("name", flat=True)) == ["别人的九队"]


def test_a_service_field_the_bureau_adds_by_import_is_created_when_the_plan_is_applied(city, adam):
    data = workbook_bytes({"志愿服务队": [["ZY1", "一队", "230302001001", "是", 5, "张", "", "新领域"]]})
    preview = import_workbook(data, file_name="a.xlsx", user=adam, dry_run=True)
    assert not ServiceField.objects.filter(name="新领域").exists()
    assert apply_plan(preview.plan, file_name="a.xlsx", sha256=preview.sha256, user=adam).ok
    assert list(Team.objects.get(code="ZY1").fields.values_list("name", flat=True)) == ["新领域"]


def test_updates_are_written_in_a_few_statements_whatever_the_number_of_records(city, adam):
    ServiceField.objects.get_or_create(name="助老")
    rows = [[f"ZY{n}", f"队{n}", "230302001001", "是", 5, "张", "", "助老"] for n in range(300)]
    assert import_workbook(workbook_bytes({"志愿服务队": rows}), file_name="a.xlsx", user=adam).ok
    changed = [[code, name, community, party, 6, *rest] for code, name, community, party, _n, *rest in rows]
    preview = import_workbook(workbook_bytes({"志愿服务队": changed}), file_name="b.xlsx", user=adam, dry_run=True)
    with CaptureQueriesContext(connection) as queries:
        assert apply_plan(preview.plan, file_name="b.xlsx", sha256=preview.sha256, user=adam).ok
    updates = [query["sql"] for query in queries.captured_queries if "UPDATE" in query["sql"].upper()[:200]]
    assert len(updates) <= 3  # the batch's summary, and one compare-and-set for the 300 teams
    assert len(queries.captured_queries) <= 12
    assert set(Team.objects.values_list("member_count", "version")) == {(6, 2)}


def test_a_plan_of_another_format_is_not_applied():
    assert not plan_module.applicable({"format": plan_module.FORMAT + 1})
    assert not plan_module.applicable(None)


def test_an_import_loads_only_the_divisions_its_workbook_names(city, adam):
    """At province scale loading every division cost more than the import itself."""
    ServiceField.objects.get_or_create(name="助老")
    street = city["community_a"].parent
    Division.objects.bulk_create([
        Division(code=f"230302001{number:03d}", name=f"别的社区{number}", kind="community", level="community",
                 parent=street, street=street, district_id=street.parent_id, households=10)
        for number in range(100, 160)
    ])
    data = workbook_bytes({"志愿服务队": [["ZY1", "一队", "230302001001", "是", 5, "张", "", "助老"]]})
    with CaptureQueriesContext(connection) as queries:
        assert import_workbook(data, file_name="a.xlsx", user=adam).ok
    loaded = [query["sql"] for query in queries.captured_queries
              if 'FROM "core_division"' in query["sql"] and query["sql"].lstrip().upper().startswith("SELECT")]
    assert loaded and all("WHERE" in sql for sql in loaded)
    assert not any("别的社区" in sql or "230302001100" in sql for sql in loaded)


def test_new_records_go_in_with_their_search_text(boss):
    """The confirm writes a new record's search text with its row (links and divisions' names included), not in
    a second write of every new row: nothing is left for a refresh to change."""
    from core import search_text

    preview = import_workbook(sample_bytes(), file_name="s.xlsx", user=boss, dry_run=True)
    with CaptureQueriesContext(connection) as queries:
        assert apply_plan(preview.plan, file_name="s.xlsx", sha256=preview.sha256, user=boss).ok
    rewrites = [query["sql"] for query in queries if query["sql"].startswith("UPDATE") and "search_text" in query["sql"]]
    assert rewrites == []
    assert Centre.objects.exclude(search_text="").count() == Centre.objects.count() > 0
    for model in (Centre, Facility, Team):
        assert search_text.refresh(model) == 0  # what a record's own text is, computed afresh
