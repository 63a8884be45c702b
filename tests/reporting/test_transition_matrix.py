"""Every transition of a street's month through the pages, per persona: allowed, forbidden (403), out of sight
(404), or refused in the wrong state (the page says why and nothing changes)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from core.models import Division
from reporting import services
from reporting.models import Event, Period, Status

JUNE = datetime.date(2025, 6, 1)
URL = "/reporting/230302001000/2025-06/%s/"


def _bring(period, status, alice, dora):
    """Street A's June in ``status``, through the services (open, submitted or approved)."""
    if status in (Status.SUBMITTED, Status.APPROVED):
        services.submit(user=alice, period=period)
    if status == Status.APPROVED:
        services.approve(user=dora, period=period)


# action: (state it starts from, the one persona allowed, the state it leads to); alice is street A's clerk,
# bob street B's, dora 鸡冠区's reviewer (street A's district), dave 鸡东县's, rita the city's.
ACTIONS = {
    "submit": (Status.OPEN, "alice", Status.SUBMITTED),
    "return": (Status.SUBMITTED, "dora", Status.RETURNED),
    "approve": (Status.SUBMITTED, "dora", Status.APPROVED),
    "accept": (Status.APPROVED, "rita", Status.ACCEPTED),
    "reopen": (Status.APPROVED, "dora", Status.REOPENED),
}
OUT_OF_SIGHT = {"bob", "dave"}  # another street's clerk, another district's reviewer: 404


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("persona", ["alice", "bob", "dora", "dave", "rita"])
def test_each_transition_per_persona(city, as_user, alice, bob, dora, dave, rita, action, persona):
    start, allowed, end = ACTIONS[action]
    period = services.get_period(city["street_a"], JUNE)
    _bring(period, start, alice, dora)
    events = Event.objects.filter(period=period).count()
    community = ContentType.objects.get_for_model(Division).pk
    data = {"note": "理由", "reason": "户数有误", "records": [f"{community}:{city['community_a'].pk}"]}
    user = {"alice": alice, "bob": bob, "dora": dora, "dave": dave, "rita": rita}[persona]
    response = as_user(user).post(URL % action, data)
    period.refresh_from_db()
    if persona == allowed:
        assert response.status_code == 302
        assert period.status == end
        assert Event.objects.filter(period=period).count() == events + 1
        assert period.events.last().user == user
    else:
        assert response.status_code == (404 if persona in OUT_OF_SIGHT else 403)
        assert period.status == start
        assert Event.objects.filter(period=period).count() == events


@pytest.mark.parametrize(("action", "status"), [
    ("submit", Status.SUBMITTED), ("submit", Status.APPROVED), ("approve", Status.OPEN),
    ("approve", Status.APPROVED), ("return", Status.OPEN), ("return", Status.APPROVED),
    ("accept", Status.SUBMITTED), ("reopen", Status.SUBMITTED),
])
def test_a_transition_from_the_wrong_state_is_refused_with_a_reason(city, as_user, alice, dora, rita, action,
                                                                    status):
    period = services.get_period(city["street_a"], JUNE)
    _bring(period, status, alice, dora)
    user = {"submit": alice, "approve": dora, "return": dora, "accept": rita, "reopen": dora}[action]
    community = ContentType.objects.get_for_model(Division).pk
    response = as_user(user).post(URL % action, {"note": "理由", "reason": "户数有误",
                                                 "records": [f"{community}:{city['community_a'].pk}"]}, follow=True)
    assert Period.objects.get(pk=period.pk).status == status
    errors = [str(message) for message in response.context["messages"] if message.level_tag == "error"]
    assert errors and any(Period(status=status).get_status_display() in error or "重新打开" in error
                          for error in errors), errors
