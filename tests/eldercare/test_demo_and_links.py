from datetime import timedelta

from django.urls import reverse

from core.dates import month_bounds
from eldercare.models import Elder, Facility, FacilityKind, Ownership, Visit
from eldercare.selectors import local_today
from tests.demo_city import seed as seed_demo_city


def test_demo_seed_is_valid_and_covers_two_months(db):
    """The demo city as ``seed_demo`` writes it (its idempotence: tests/core/test_commands.py)."""
    seed_demo_city()
    for facility in Facility.objects.all():
        facility.full_clean()
    for elder in Elder.objects.all():
        elder.full_clean()  # GB 11643 check digits, phones
        assert elder.id_number.startswith(elder.community.code[:4])  # the demo province has two cities
    assert set(Facility.objects.values_list("kind", flat=True)) == set(FacilityKind.values)
    street_centres = Facility.objects.filter(kind=FacilityKind.STREET_CENTRE)
    assert 0 < Facility.objects.comprehensive().count() < street_centres.count()
    assert Facility.objects.filter(kind=FacilityKind.INSTITUTION, ownership=Ownership.PUBLIC, beds__gt=0).exists()
    this_month, _ = month_bounds(local_today())
    last_month, _ = month_bounds(this_month - timedelta(days=1))
    assert Visit.objects.filter(visited_on__gte=this_month).exists()
    assert Visit.objects.filter(visited_on__gte=last_month, visited_on__lt=this_month).exists()
    assert Elder.objects.exclude(visits__visited_on__gte=this_month).exists()  # some still to visit


def test_workspace_offers_the_visit_to_do_and_the_elder_admin(as_user, alice):
    html = as_user(alice).get(reverse("workspace")).content.decode()
    assert reverse("eldercare:visits_todo") in html
    assert reverse("admin:eldercare_elder_changelist") in html
