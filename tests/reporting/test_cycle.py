"""The reporting cycle: every transition allowed and refused, per role."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from facilities.models import Centre
from reporting import services
from reporting.models import Event, Period, ReturnItem, Status
from tests.facilities.conftest import make_centre

JUNE = datetime.date(2025, 6, 1)


@pytest.fixture
def june(city):
    return services.get_period(city["street_a"], JUNE)


def _record(obj):
    return f"{ContentType.objects.get_for_model(type(obj)).pk}:{obj.pk}"


def test_clerk_submits_own_street(alice, june):
    period = services.submit(user=alice, period=june)
    assert period.status == Status.SUBMITTED
    assert period.first_submitted_at is not None
    event = period.events.get()
    assert (event.action, event.user) == (Event.Action.SUBMIT, alice)


def test_clerk_cannot_submit_other_street(bob, june):
    with pytest.raises(Http404):
        services.submit(user=bob, period=june)


def test_reviewers_cannot_submit(dora, rita, june):
    with pytest.raises(PermissionDenied):
        services.submit(user=dora, period=june)
    with pytest.raises(PermissionDenied):
        services.submit(user=rita, period=june)


def test_clerk_cannot_approve(alice, june):
    services.submit(user=alice, period=june)
    with pytest.raises(PermissionDenied):
        services.approve(user=alice, period=june)


def test_city_reviewer_cannot_approve_for_the_district(alice, rita, june):
    services.submit(user=alice, period=june)
    with pytest.raises(PermissionDenied):
        services.approve(user=rita, period=june)


def test_district_reviewer_cannot_touch_another_district(alice, dave, june):
    services.submit(user=alice, period=june)
    for action in (services.approve, services.accept):
        with pytest.raises(Http404):
            action(user=dave, period=june)
    with pytest.raises(Http404):
        services.return_period(user=dave, period=june, reason="x", records=["1:1"])


def test_district_approves_and_figures_freeze(alice, dora, june):
    services.submit(user=alice, period=june)
    period = services.approve(user=dora, period=june, note="好")
    assert period.status == Status.APPROVED
    assert period.approved_by == dora
    assert set(period.frozen) >= {"F1", "F3", "E5"}


def test_approve_refused_before_submission(dora, june):
    with pytest.raises(ValidationError):
        services.approve(user=dora, period=june)


def test_approved_period_cannot_be_submitted_again_without_reopening(alice, dora, june):
    services.submit(user=alice, period=june)
    services.approve(user=dora, period=june)
    with pytest.raises(ValidationError, match="重新打开"):
        services.submit(user=alice, period=june)
    with pytest.raises(ValidationError):
        services.reopen(user=dora, period=june, note="")
    services.reopen(user=dora, period=june, note="面积改了")
    assert services.submit(user=alice, period=june).status == Status.SUBMITTED


def test_clerk_cannot_reopen(alice, dora, june):
    services.submit(user=alice, period=june)
    services.approve(user=dora, period=june)
    with pytest.raises(PermissionDenied):
        services.reopen(user=alice, period=june, note="x")


def test_city_accepts_only_approved(alice, dora, rita, june):
    services.submit(user=alice, period=june)
    with pytest.raises(ValidationError):
        services.accept(user=rita, period=june)
    services.approve(user=dora, period=june)
    with pytest.raises(PermissionDenied):
        services.accept(user=dora, period=june)
    with pytest.raises(PermissionDenied):
        services.accept(user=alice, period=june)
    assert services.accept(user=rita, period=june).status == Status.ACCEPTED


def test_return_names_records_and_blocks_resubmission_until_fixed(city, alice, dora, june):
    services.submit(user=alice, period=june)
    with pytest.raises(ValidationError):
        services.return_period(user=dora, period=june, reason="面积", records=[])
    with pytest.raises(ValidationError):
        services.return_period(user=dora, period=june, reason="面积", records=[_record(city["community_b"])])
    [item] = services.return_period(user=dora, period=june, reason="面积有误", records=[_record(city["community_a"])],
                                    indicator="V1")
    assert Period.objects.get(pk=june.pk).status == Status.RETURNED
    assert item.record == city["community_a"]
    with pytest.raises(ValidationError, match="退回事项"):
        services.submit(user=alice, period=june)
    with pytest.raises(PermissionDenied):
        services.mark_fixed(user=dora, item=item, note="x")


def test_marked_fixed_refused_while_indicator_still_fails_unless_explained(city, alice, dora, june):
    services.submit(user=alice, period=june)
    [item] = services.return_period(user=dora, period=june, reason="没有设施",
                                    records=[_record(city["community_a"])], indicator="F1")
    with pytest.raises(ValidationError, match="仍未达标"):
        services.mark_fixed(user=alice, item=item)
    make_centre(city["community_a"], "SQ-NEW")
    assert services.mark_fixed(user=alice, item=item).state == ReturnItem.State.FIXED


def test_marked_fixed_with_an_explanation(city, alice, dora, june):
    services.submit(user=alice, period=june)
    [item] = services.return_period(user=dora, period=june, reason="没有设施",
                                    records=[_record(city["community_a"])], indicator="F1")
    fixed = services.mark_fixed(user=alice, item=item, note="设施在建，年底投用")
    assert fixed.state == ReturnItem.State.FIXED
    with pytest.raises(PermissionDenied):
        services.close_item(user=alice, item=fixed)
    assert services.close_item(user=dora, item=fixed).state == ReturnItem.State.CLOSED


def test_approval_freezes_and_later_edit_shows_changed_after_approval(city, alice, dora, june):
    from reporting import selectors

    centre = make_centre(city["community_a"], "SQ-A1")
    services.submit(user=alice, period=june)
    period = services.approve(user=dora, period=june)
    assert selectors.changes_after_approval(period) == ([], [])
    Centre.objects.filter(pk=centre.pk).update(total_area=centre.total_area * 2)
    changes, _editors = selectors.changes_after_approval(period)
    assert "F3" in [indicator.code for indicator, _old, _new in changes]
    [f3] = [(old, new) for indicator, old, new in changes if indicator.code == "F3"]
    assert f3[0] != f3[1]


def test_marked_fixed_refused_when_the_record_is_the_community_of_a_failing_centre(city, alice, dora, june):
    """F4's units are centres; a reviewer who names the community (not the centre) still gets the check: the
    clerk cannot mark it fixed while a centre of that community fails F4, unless they write why."""
    centre = make_centre(city["community_a"], "SQ-A1", total_area=600, activity_area=100)  # 16.7% < 60%
    services.submit(user=alice, period=june)
    [item] = services.return_period(user=dora, period=june, reason="居民活动面积不足",
                                    records=[_record(city["community_a"])], indicator="F4")
    with pytest.raises(ValidationError, match="仍未达标"):
        services.mark_fixed(user=alice, item=item)
    Centre.objects.filter(pk=centre.pk).update(activity_area=400)
    assert services.mark_fixed(user=alice, item=item).state == ReturnItem.State.FIXED


def test_a_centre_named_for_a_community_indicator_is_judged_by_its_community(city, alice, dora, june):
    """F1's units are communities; naming the community's centre judges the centre's community."""
    centre = make_centre(city["community_a2"], "SQ-A2")
    services.submit(user=alice, period=june)
    [item] = services.return_period(user=dora, period=june, reason="设施不达标",
                                    records=[_record(centre)], indicator="F1")
    assert services.still_failing(item) is False  # 红旗社区 has its centre; 建设社区 (no centre) is not named
    Centre.objects.filter(pk=centre.pk).update(status="closed")
    assert services.still_failing(item) is True


def test_fixing_and_closing_a_return_are_in_the_periods_history(city, alice, dora, june):
    from reporting import selectors

    services.submit(user=alice, period=june)
    first, second = services.return_period(user=dora, period=june, reason="面积有误", indicator="V1",
                                           records=[_record(city["community_a"]), _record(city["community_a2"])])
    services.mark_fixed(user=alice, item=first, note="已核对")
    services.close_item(user=dora, item=first)
    services.mark_fixed(user=alice, item=second, note="无法达标")
    services.submit(user=alice, period=june)
    services.approve(user=dora, period=june)  # closes the second, fixed one
    steps = [(event.action, event.user, event.note) for event in selectors.history(june)]
    assert [action for action, _user, _note in steps] == [
        "submit", "return", "fix", "close", "fix", "submit", "close", "approve"]
    assert steps[2] == ("fix", alice, f"{first.record_label}（V1）：已核对")
    assert steps[3] == ("close", dora, f"{first.record_label}（V1）")
    assert steps[4][2].endswith("：无法达标") and steps[6][2] == f"{second.record_label}（V1）"
