"""A centre's standing against F3–F6, for the clerk's centre page: the engine's own rules."""

from compliance import kinds, rules
from compliance.kinds import Context
from compliance.selectors import plan_in_force


def centre_standing(centre, ctx=None):
    """``[Unit, …]`` for F3 (its community), F4, F5 and F6, each with pass/fail and the shortfall in words.

    Five small queries; a centre that is not operating counts nowhere, so only F3 (the community's
    figure, judged by the plan's F3 target) is given for it.
    """
    ctx = ctx or Context()
    results = []
    f3 = rules.get("F3")
    community = f3.base(ctx).select_related("street").filter(pk=centre.community_id).first()
    if community is not None:
        _plan, targets = plan_in_force()
        results.append((f3, f3.unit_for(community, targets.get("F3"))))
    for code in ("F4", "F5", "F6"):
        indicator = rules.get(code)
        unit = indicator.base(ctx).filter(pk=centre.pk).first()
        if unit is not None:
            results.append((indicator, kinds.Unit(unit, centre.name, unit.passes, indicator.reason(unit, ctx))))
    return [{"indicator": indicator, "unit": unit} for indicator, unit in results]
