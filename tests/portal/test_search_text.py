"""The one search reads a kept text per record (core.search_text): it stays right whatever changes the record."""

import pytest

from core import search_text
from eldercare.models import Facility
from exchange.importer import import_workbook
from exchange.plan import apply_plan
from facilities.models import Centre, Service
from tests.exchange.helpers import workbook_bytes
from tests.portal.test_search import found
from volunteers.models import ServiceField, Team

pytestmark = pytest.mark.django_db


def test_the_text_holds_the_folded_words_their_pairs_and_the_codes():
    text = search_text.compose(["和平社区 日间照料", "ＡＢ路", ""], ["daycare"])
    assert text == " 和平社区 日间照料 ab路 和平 平社 社区 日间 间照 照料 ab b路 和 平 社 区 日 间 照 料 a b 路 #daycare "


def test_every_record_built_by_the_fixtures_already_has_its_text(world):
    assert [search_text.refresh(model) for model in (Centre, Facility, Team)] == [0, 0, 0]  # nothing was stale


def test_many_records_read_as_plain_values_get_the_text_their_instances_give(world):
    """``refresh`` reads the parts of many records as values (two queries a thousand), ``search_parts`` of one
    record from its instance: the same text, with the linked services' names (or the helps' codes) in order."""
    world["centre"].services.set([Service.objects.create(name="理发", ordering=2), Service.objects.create(name="助餐", ordering=1)])
    for model in (Centre, Facility, Team):
        model.objects.update(search_text="")
        assert search_text.refresh(model) == model.objects.count() > 0
        for obj in model.objects.all():
            assert obj.search_text == search_text.text_of(obj) != ""
    assert " 助餐 理发 " in Centre.objects.get(code="ZX-HP").search_text  # in the services' order
    assert " #daycare #meals #bathing " in Facility.objects.get(code="RZ-HP").search_text
    assert " 助老服务 " in Team.objects.get(code="DW-HP").search_text


def test_a_two_character_word_is_found_and_a_word_never_spans_two_fields(world):
    assert found("党群", "centre")[0] == {"ZX-HP", "ZX-NS"}  # looked up as a stored pair
    assert found("路 8", "centre")[0] == {"ZX-HP"}  # two one-character words, both in the address
    assert found("党", "centre")[0] == {"ZX-HP", "ZX-NS"} and found("8", "centre")[0] == {"ZX-HP"}
    assert found("中心和平", "centre")[0] == set()  # the name's end and the address's start: not one word


def test_a_saved_record_is_found_by_its_new_name_only(world):
    centre = world["centre"]
    centre.name = "幸福里驿站"
    centre.save()
    assert found("幸福里", "centre")[0] == {"ZX-HP"}
    assert found("党群服务", "centre")[0] == {"ZX-NS"}


def test_services_added_renamed_and_removed_are_searched(world):
    service = Service.objects.create(name="心理疏导")
    world["centre"].services.add(service)
    assert found("心理疏导", "centre")[0] == {"ZX-HP"}
    service.centres.add(world["far_centre"])  # from the other side of the link
    assert found("疏导", "centre")[0] == {"ZX-HP", "ZX-NS"}
    service.name = "心理咨询"
    service.save()
    assert found("心理咨询", "centre")[0] == {"ZX-HP", "ZX-NS"}
    assert found("心理疏导", "centre")[0] == set()
    world["centre"].services.clear()
    assert found("心理咨询", "centre")[0] == {"ZX-NS"}
    world["team"].fields.set([ServiceField.objects.create(name="环境保护")])
    assert found("环境", "team")[0] == {"DW-HP"} and found("助老", "team")[0] == set()


def test_a_renamed_community_or_street_is_searched_in_every_record_under_it(world):
    heping = world["heping"]
    heping.name = "太平社区"
    heping.save()
    assert found("太平社区", "team")[0] == {"DW-HP"}
    assert found("太平社区", "facility")[0] == {"RZ-HP"}
    street = heping.street
    street.name = "朝阳街道"
    street.save()
    assert found("朝阳街道", "centre")[0] == {"ZX-HP"}
    assert found("朝阳", "facility")[0] == {"RZ-HP", "JD-1"}  # the street's own centre too


def test_teams_written_by_the_workbook_import_and_by_a_confirmed_preview_are_searched(city, adam):
    rows = [["ZY1", "红枫志愿服务队", "230302001001", "是", 5, "张", "", "文化传承"]]
    assert import_workbook(workbook_bytes({"志愿服务队": rows}), file_name="a.xlsx", user=adam).ok
    assert found("红枫", "team")[0] == {"ZY1"} and found("文化传承", "team")[0] == {"ZY1"}
    changed = [["ZY1", "银杏志愿服务队", "230302001001", "是", 5, "张", "", "文化传承"],
               ["ZY2", "青松志愿服务队", "230302001001", "是", 5, "张", "", "新的领域"]]
    preview = import_workbook(workbook_bytes({"志愿服务队": changed}), file_name="b.xlsx", user=adam, dry_run=True)
    assert apply_plan(preview.plan, file_name="b.xlsx", sha256=preview.sha256, user=adam).ok
    assert found("银杏", "team")[0] == {"ZY1"} and found("红枫", "team")[0] == set()
    assert found("新的领域", "team")[0] == {"ZY2"}
    assert search_text.refresh(Team) == 0


@pytest.mark.parametrize("confirmed", [False, True], ids=["import", "preview-then-confirm"])
def test_a_community_renamed_by_the_import_is_searched_by_its_new_name_and_other_changes_refresh_nothing(
    world, confirmed, monkeypatch
):
    """Households changed: nothing under the community is refreshed; renamed: its team, centre and facility are
    found by the new name — whether the workbook is imported at once or previewed and confirmed."""
    from core.models import Role, User

    adam = User.objects.create(username="adam-import", role=Role.ADMIN)
    heping = world["heping"]

    def imported(name, households):
        row = [heping.code, name, heping.parent.code, "社区", households, heping.population, heping.population_60plus,
               heping.latitude, heping.longitude]
        data = workbook_bytes({"社区村": [row]})
        if not confirmed:
            return import_workbook(data, file_name="c.xlsx", user=adam).ok
        preview = import_workbook(data, file_name="c.xlsx", user=adam, dry_run=True)
        return preview.ok and apply_plan(preview.plan, file_name="c.xlsx", sha256=preview.sha256, user=adam).ok

    refreshed = []
    monkeypatch.setattr(search_text, "refresh_under", lambda pks: refreshed.append(list(pks)))
    assert imported("和平社区", heping.households + 1)
    assert refreshed == []
    monkeypatch.undo()
    assert imported("太平社区", heping.households + 1)
    assert found("太平社区", "team")[0] == {"DW-HP"}
    assert found("太平社区", "centre")[0] == {"ZX-HP"}
    assert found("太平社区", "facility")[0] == {"RZ-HP"}
