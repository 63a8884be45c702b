"""The indicators of the 14th Five-Year Plan, one class each: the only place each rule is written.

Each docstring quotes the plan and states the rule; the code says which units count, when one passes and
why, in terms of the domain apps' own QuerySets (``Centre.objects.operating()``, ``Visit.objects.in_month``,
``Facility.objects.comprehensive()``, ``volunteers.models.CERTIFIED``). What an indicator is, and how its
figures are computed, is ``compliance.kinds`` and ``compliance.board``.
"""

from compliance.rules.centres import F1, F2, F3, F4, F5, F6, V1
from compliance.rules.eldercare import E1, E2, E3, E4, E5, E6, E7, E8
from compliance.rules.workers import S1, S2, S3, S4

ORDER = (F1, F2, F3, F4, F5, F6, V1, S1, S2, S3, S4, E1, E2, E3, E4, E5, E6, E7, E8)
INDICATORS = {cls.code: cls() for cls in ORDER}


def get(code):
    return INDICATORS[code]
