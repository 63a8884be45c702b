"""How the reporting pages write a month, an empty rate and a person."""

from core.models import Division, Kind, Role
from reporting import rules
from reporting.models import Severity, ValidationRule
from tests.personas import _user, make_division

PERIOD = "/reporting/230302001000/2025-06/"


def test_submitting_says_the_month_with_spaces_and_explanations_name_the_person(city, alice, as_user):
    alice.first_name, alice.last_name = "王丽", ""
    alice.save()
    ValidationRule.objects.update_or_create(code="households", defaults={"name": "户数", "severity": Severity.WARNING})
    rules.forget_settings()
    Division.objects.filter(pk=city["community_a2"].pk).update(households=2001)
    [warning] = rules.street_issues(city["street_a"])
    response = as_user(alice).post(PERIOD + "submit/", {f"explain:{warning.key}": "集体户"}, follow=True)
    page = response.content.decode()
    assert "已提交 2025-06 的数据，等待区县审核。" in page
    assert "集体户（王丽）" in page and f"（{alice.username}）" not in page


def test_a_division_without_streets_shows_no_rate_not_a_dash_percent(city, as_user):
    empty = make_division("230500000000", "双鸭山市", Kind.CITY)
    reviewer = _user("sam", Role.REVIEWER, empty)
    page = as_user(reviewer).get("/reporting/completeness/", {"month": "2025-06"}).content.decode()
    assert "双鸭山市" in page and "—%" not in page and "<td>—</td><td>—</td>" in page
