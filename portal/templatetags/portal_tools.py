"""``{% resident_tools "centre" centre %}``: what every public detail page offers a resident.

A big call button, navigation hand-off to the map apps (converted datums), the address in words,
数据核实日期, the published 好差评 and the “信息有误？” and rating links. Domain templates load this tag;
the domain apps' Python never imports the portal.
"""

from django import template

from portal import navigation
from portal.selectors import rating_summary

register = template.Library()


@register.inclusion_tag("portal/_resident_tools.html")
def resident_tools(target, obj, latitude=None, longitude=None):
    lat = getattr(obj, "latitude", latitude)
    lon = getattr(obj, "longitude", longitude)
    address = getattr(obj, "address", "") or getattr(obj, "meeting_place", "")
    summary = rating_summary(target, obj.pk)
    return {
        "target": target,
        "obj": obj,
        "address": address,
        "links": navigation.links(obj.name, address, lat, lon),
        "verified_on": getattr(obj, "verified_on", None),
        "has_verification": hasattr(obj, "verified_on"),
        "rating": summary,
        "stars": "★" * round(summary["average"] or 0),
    }
