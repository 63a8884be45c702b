"""The clerk's location picker: a map pin, or coordinates pasted from a Chinese map converted to WGS-84.

The portal stores WGS-84 (DOMAIN.md). 高德 and 腾讯 show GCJ-02 and 百度 BD-09; a pair pasted from them
as if it were WGS-84 lands a few hundred metres off, which is enough to move a community in or out of
E7's 1,000 m circle. So a pasted pair is converted with the source the clerk chooses (core.geo).
The map (Leaflet and the MAP_TILE_URL setting, as on the residents' pages) only improves the two
number boxes; without JavaScript the boxes and the paste field still work.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import geo


class Source:
    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"

    choices = [
        (GCJ02, _("高德地图、腾讯地图（GCJ-02）")),
        (BD09, _("百度地图（BD-09）")),
        (WGS84, _("GPS、天地图、奥维（WGS-84）")),
    ]


TO_WGS84 = {
    Source.WGS84: lambda lat, lon: (lat, lon),
    Source.GCJ02: geo.gcj02_to_wgs84,
    Source.BD09: geo.bd09_to_wgs84,
}

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
PLACES = Decimal("0.000001")  # the coordinate fields keep 6 decimals (about 0.1 m)


def parse_pair(text):
    """``(lat, lon)`` from what a map page gives: “116.397,39.909” (高德/百度: longitude first) or
    “39.909, 116.397” (腾讯, most phones: latitude first). In China a longitude (73–136) is never a
    latitude (3–54), so the order is told by the numbers, not guessed from the source."""
    text = (text or "").replace("，", ",").replace("：", ":")
    numbers = [float(n) for n in _NUMBER.findall(text)]
    if len(numbers) != 2:
        raise ValidationError(
            _("请粘贴两个数字（经度和纬度，如 116.397428,39.90923），“%(value)s”不是。"),
            code="pair", params={"value": text[:50] + ("…" if len(text) > 50 else "")},
        )
    first, second = numbers
    if 70 <= first <= 140 and 0 <= second <= 56:
        return second, first
    if 0 <= first <= 56 and 70 <= second <= 140:
        return first, second
    raise ValidationError(
        _("“%(value)s”不在中国境内（纬度 0–56，经度 70–140），请核对。"), code="outside", params={"value": text[:50]}
    )


def to_wgs84(text, source):
    """The pasted pair as WGS-84 ``(Decimal lat, Decimal lon)``, rounded to the stored 6 decimals."""
    lat, lon = parse_pair(text)
    lat, lon = TO_WGS84[source](lat, lon)
    return (Decimal(repr(lat)).quantize(PLACES, ROUND_HALF_UP), Decimal(repr(lon)).quantize(PLACES, ROUND_HALF_UP))


class LocationPasteForm(forms.ModelForm):
    """Adds 粘贴坐标 + 坐标来源 to a located record's admin form; a pasted pair replaces the two boxes."""

    coordinate_paste = forms.CharField(
        label=_("粘贴坐标"), required=False, max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "116.397428,39.90923", "size": 28, "autocomplete": "off"}),
        help_text=_("从地图网站复制的“经度,纬度”或“纬度,经度”均可；保存时换算为 WGS-84 填入上面的纬度、经度。"),
    )
    coordinate_source = forms.ChoiceField(
        label=_("坐标来自"), required=False, choices=Source.choices, initial=Source.GCJ02,
    )

    def clean(self):
        cleaned = super().clean()
        pasted = (cleaned.get("coordinate_paste") or "").strip()
        if pasted:
            try:
                lat, lon = to_wgs84(pasted, cleaned.get("coordinate_source") or Source.GCJ02)
            except ValidationError as exc:
                self.add_error("coordinate_paste", exc)
            else:
                cleaned["latitude"], cleaned["longitude"] = lat, lon
                self.errors.pop("latitude", None)
                self.errors.pop("longitude", None)
        return cleaned


def picker_html():
    """The map box the admin script turns into a picker (a named region; the number boxes stay the form)."""
    return format_html(
        '<div id="location-picker" class="location-picker" role="region" aria-label="{}" data-tile-url="{}" '
        'data-tile-subdomains="{}" data-tile-attribution="{}"></div><p class="location-picker-note">{}</p>',
        gettext("位置地图"), settings.MAP_TILE_URL, settings.MAP_TILE_SUBDOMAINS, settings.MAP_TILE_ATTRIBUTION,
        gettext("在地图上点击或拖动标记即可填入纬度、经度（WGS-84）；地址栏填写的地址保持不变。")
        if settings.MAP_TILE_URL else
        gettext("本站尚未配置地图底图：地图只显示标记位置，请粘贴坐标或直接填写纬度、经度。"),
    )


class LocationPickerAdmin:
    """ModelAdmin mixin: the map, the paste box and its source after the latitude/longitude fields."""

    EXTRA = ("coordinate_paste", "coordinate_source")

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for title, options in super().get_fieldsets(request, obj):
            names = list(options["fields"])
            if "longitude" in names and self.has_change_permission(request, obj):
                at = names.index("longitude") + 1
                names[at:at] = [name for name in self.EXTRA if name not in names]
                description = options.get("description") or ""
                options = {**options, "description": format_html("{}{}", description, picker_html())}
            fieldsets.append((title, {**options, "fields": names}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        if not issubclass(base, LocationPasteForm):
            kwargs["form"] = type(base.__name__, (LocationPasteForm, base), {})
        return super().get_form(request, obj, change=change, **kwargs)

    @property
    def media(self):
        return super().media + forms.Media(
            css={"all": ["vendor/leaflet/leaflet.css", "css/admin-entry.css"]},
            js=["vendor/leaflet/leaflet.js", "js/admin-entry.js"],
        )
