"""The public lists' shared parts (core.public_lists): the filter form written in one pass, the labels."""

from django import forms
from django.utils import translation

from core.public_lists import choice_labels, filter_fields
from eldercare.models import FacilityKind


class Filters(forms.Form):
    q = forms.CharField(label="名称或地址", required=False, max_length=50)
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), ("a", "甲<b>"), ("b", "乙")])
    size = forms.IntegerField(label="人数", required=False)
    open_now = forms.BooleanField(label="只看正在开放的", required=False)

    field_wrappers = {"q": "col-12"}


def test_filters_keep_what_was_chosen_and_escape_what_was_typed():
    html = str(filter_fields(Filters({"q": '"><script>', "kind": "b", "open_now": "on"}), "col-6"))
    assert '<div class="col-12"><label class="form-label" for="id_q">名称或地址</label>' in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html and "<script>" not in html
    assert 'maxlength="50"' in html and 'type="search"' in html
    assert '<option value="b" selected>乙</option>' in html and '<option value="">全部类型</option>' in html
    assert "甲&lt;b&gt;" in html
    assert 'id="id_open_now" name="open_now" type="checkbox" checked>' in html


def test_unbound_filters_select_the_empty_choice_and_leave_the_box_unticked():
    html = str(filter_fields(Filters(), "col-6"))
    assert '<option value="" selected>全部类型</option>' in html
    assert "checked" not in html


def test_a_bad_value_is_marked_and_described():
    form = Filters({"size": "many"})
    form.is_valid()
    html = str(filter_fields(form))
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_size_errors"' in html
    assert '<div class="invalid-feedback d-block" id="id_size_errors">' in html


def test_labels_follow_the_language():
    with translation.override("en"):
        english = choice_labels(FacilityKind.choices)
    with translation.override("zh-hans"):
        chinese = choice_labels(FacilityKind.choices)
    assert chinese[FacilityKind.DAYCARE] == "日间照料中心"
    assert english[FacilityKind.DAYCARE] != chinese[FacilityKind.DAYCARE]
