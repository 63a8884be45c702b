"""core.bulk's JSON rows: a value already as the database stores it goes in as it is, any other through
the field's own preparation — and either way it reads back the same."""

import datetime
import decimal

from django.db import connection

from core.bulk import _converter, _payload, _values_of
from eldercare.models import Visit
from facilities.models import Centre


def test_plain_values_pass_and_the_others_are_prepared():
    name, area = (_converter(Centre._meta.get_field(field)) for field in ("name", "total_area"))
    station, community = (_converter(Centre._meta.get_field(field)) for field in ("has_volunteer_station", "community"))
    assert name("和平社区") == "和平社区"
    assert station(True) is True
    assert community(7) == 7 and community(None) is None
    prepared = area(decimal.Decimal("350.50"))
    assert prepared == Centre._meta.get_field("total_area").get_db_prep_save(decimal.Decimal("350.50"), connection)
    # Not the stored type: the field prepares it (a yes/no given as 1, a whole number given as text).
    assert station(1) is True
    assert _converter(Centre._meta.get_field("version"))("3") == 3


def test_the_payload_names_each_value_as_the_database_stores_it():
    visit = Visit(elder_id=4, visited_on=datetime.date(2025, 6, 30))
    fields = [Visit._meta.get_field("elder"), Visit._meta.get_field("visited_on")]
    assert _payload(["v0", "v1"], fields, _values_of([visit], fields)) == '[{"v0": 4, "v1": "2025-06-30"}]'
    # a plan's kept values (an ISO date as text) come out the same; the leading values as they are
    assert _payload(["pk", "v0", "v1"], fields, [[9, 4, "2025-06-30"]], leading=1) == '[{"pk": 9, "v0": 4, "v1": "2025-06-30"}]'
