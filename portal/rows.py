"""The result cards of search and near me, built in one pass with ``core.html`` (no include, ``{% url %}`` or
``{% trans %}`` per card; one ``reverse`` a page per kind, ``core.public_lists.pk_url``).

The markup is what ``templates/portal/_place.html`` wrote for each result, with the whitespace of the loops
that included it; the words are translated once a page.
"""


from core.html import fragment, join
from core.html import translated as _
from core.public_lists import pk_url

DETAIL_URLS = {"centre": "facilities:detail", "facility": "eldercare:detail", "team": "volunteers:detail"}

_CARD = (
    '\n<article class="card place-card mb-2"{} data-name="{}" data-url="{}">\n'
    '  <div class="card-body">\n'
    '    <h3 class="h6 card-title mb-1"><a href="{}">{}</a>\n'
    '      <span class="badge text-bg-light border">{}</span></h3>\n'
    '    <p class="place-facts small mb-1">\n'
    "      {}\n"
    "      {}\n"
    "    </p>\n"
    "    {}\n"
    '    <div class="place-actions">\n'
    "      {}\n"
    '      <a class="btn btn-outline-primary" href="{}">{}</a>\n'
    "    </div>\n"
    "  </div>\n"
    "</article>\n"
)
_POSITION = ' data-lat="{}" data-lon="{}"'
_TEAM_FACTS = "{} {}{}\n      "
_MEETING_PLACE = " · {}"
_DISTANCE = "<br><strong>{}</strong>"
_HOURS = (
    '\n    <p class="mb-2">\n'
    "      {}\n"
    '      <span class="small">{}：{}</span>\n'
    "      {}\n"
    "    </p>\n    "
)
_OPEN = '<span class="badge text-bg-success badge-open">{}</span>'
_CLOSED = '<span class="badge text-bg-secondary badge-closed">{}</span>'
_NEXT_OPEN = '<span class="next-open small">· {}</span>'
_NOT_THIS_WEEK = '<span class="small">· {}</span>'
_CALL = '<a class="btn btn-success btn-call" href="tel:{}">{} {}<span class="visually-hidden">（{}）</span></a>'



class _Cards:
    """The page's words and detail links, read once; ``card(...)`` writes one result."""

    def __init__(self):
        self.urls = {kind: pk_url(name) for kind, name in DETAIL_URLS.items()}
        self.open = fragment(_OPEN, _("正在开放"))
        self.closed = fragment(_CLOSED, _("现在未开放"))
        self.not_this_week = fragment(_NOT_THIS_WEEK, _("近一周不开放"))
        self.today, self.call, self.details = _("今天"), _("打电话"), _("详情和导航")

    def _facts(self, obj, kind):
        if kind != "team":
            return obj.address
        meeting = fragment(_MEETING_PLACE, obj.meeting_place) if obj.meeting_place else ""  # names: search.TEAM_PLACE_NAMES
        return fragment(_TEAM_FACTS, obj.street_name or "", obj.community_name, meeting)

    def _hours(self, obj):
        """Open now, today's hours and the next opening (``core.next_open.annotate_opening`` has run)."""
        if obj.is_open:
            badge, after = self.open, ""
        else:
            badge = self.closed
            after = fragment(_NEXT_OPEN, obj.next_open) if obj.next_open else self.not_this_week
        return fragment(_HOURS, badge, self.today, obj.today_hours, after)

    def card(self, obj, kind, label, *, lat=None, lon=None, distance=""):
        url = self.urls[kind](obj.pk)
        position = fragment(_POSITION, f"{lat:.6f}", f"{lon:.6f}") if lat is not None else ""  # stringformat:".6f"
        return fragment(
            _CARD,
            position, obj.name, url,
            url, obj.name,
            label,
            self._facts(obj, kind),
            fragment(_DISTANCE, distance) if distance else "",
            self._hours(obj) if kind != "team" else "",
            fragment(_CALL, obj.phone, self.call, obj.phone, obj.name) if obj.phone else "",
            url, self.details,
        )


def search_cards(group):
    """A search group's results (each item has its ``kind_label``), as the template's loop wrote them."""
    cards = _Cards()
    return join(
        fragment("\n        \n        {}\n      ", cards.card(obj, group.kind, obj.kind_label)) for obj in group.items
    )


def near_cards(places):
    """Near me's ``<li>`` of each place (``portal.nearby.Place`` with its ``label``), as the loop wrote them."""
    cards = _Cards()
    return join(
        fragment(
            "\n        <li>\n        {}</li>\n      ",
            cards.card(place.obj, place.kind, place.label, lat=place.latitude, lon=place.longitude, distance=place.distance),
        )
        for place in places
    )
