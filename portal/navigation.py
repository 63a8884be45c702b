"""Hand-off to the map apps residents already have, at the facility, in each app's datum.

The portal stores WGS-84. 高德 and 腾讯 take GCJ-02, 百度 BD-09 (core.geo converts); Android's
``geo:`` URI is WGS-84 by definition.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.geo import wgs84_to_bd09, wgs84_to_gcj02


@dataclass(frozen=True)
class Link:
    app: str
    label: str
    url: str


def _fmt(value):
    return f"{value:.6f}"


def links(name, address, latitude, longitude):
    """``[Link, …]`` for 高德, 百度, 腾讯 and ``geo:``; empty without coordinates."""
    if latitude is None or longitude is None:
        return []
    source = settings.PORTAL_APP_NAME
    g_lat, g_lon = wgs84_to_gcj02(latitude, longitude)
    b_lat, b_lon = wgs84_to_bd09(latitude, longitude)
    amap = "https://uri.amap.com/marker?" + urlencode(
        {"position": f"{_fmt(g_lon)},{_fmt(g_lat)}", "name": name, "src": source, "coordinate": "gaode",
         "callnative": "1"}
    )
    baidu = "https://api.map.baidu.com/marker?" + urlencode(
        {"location": f"{_fmt(b_lat)},{_fmt(b_lon)}", "title": name, "content": address, "output": "html",
         "coord_type": "bd09ll", "src": source}
    )
    tencent = "https://apis.map.qq.com/uri/v1/marker?" + urlencode(
        {"marker": f"coord:{_fmt(g_lat)},{_fmt(g_lon)};title:{name};addr:{address}", "referer": source}
    )
    geo = f"geo:{_fmt(latitude)},{_fmt(longitude)}?q={_fmt(latitude)},{_fmt(longitude)}({quote(name)})"
    return [
        Link("amap", _("高德地图"), amap),
        Link("baidu", _("百度地图"), baidu),
        Link("tencent", _("腾讯地图"), tencent),
        Link("geo", _("其他地图应用"), geo),
    ]
