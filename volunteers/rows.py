"""A team's public facts and the rows of /volunteers/, built in one pass with ``core.html``.

The markup is what ``templates/volunteers/_team_facts.html`` and the list's loop wrote (an include and a
dozen filters per row); the words are translated once a page.
"""

from django.template.defaultfilters import floatformat, linebreaksbr
from django.utils.translation import gettext, ngettext

from core.html import fragment, join, translation
from core.html import translated as _
from core.public_lists import pk_url

_FACTS = (
    '<dl class="row">\n'
    '  <dt class="col-sm-3">{}</dt>\n  <dd class="col-sm-9">{}</dd>\n'
    '  <dt class="col-sm-3">{}</dt>\n  <dd class="col-sm-9">{}</dd>\n'
    '  <dt class="col-sm-3">{}</dt>\n  <dd class="col-sm-9">{}</dd>\n'
    '  <dt class="col-sm-3">{}</dt>\n  <dd class="col-sm-9">\n    {}\n    {}\n  </dd>\n'
    '  <dt class="col-sm-3">{}</dt>\n  <dd class="col-sm-9">{}</dd>\n'
    '  <dt class="col-sm-3">{}</dt>\n  <dd class="col-sm-9">{}</dd>\n'
    '  <dt class="col-sm-3">{}</dt>\n  <dd class="col-sm-9">{}</dd>\n'
    "</dl>"
)
_FIELD = '<span class="badge text-bg-light border me-1">{}</span>'
_PHONE = '<a href="tel:{}">{}</a>'
_ROW = (
    '<article class="card team-card mb-3">\n    <div class="card-body">\n'
    '      <h2 class="card-title"><a href="{}">{}</a>\n        {}</h2>\n'
    "      {}\n    </div>\n  </article>"
)
_BACKBONE = '<span class="badge text-bg-danger badge-backbone">{}</span>'


class Words:
    """The facts' words, translated once for a page."""

    def __init__(self):
        self.place, self.fields, self.no_fields = _("所在地"), _("服务领域"), _("未填写")
        self.members, self.contact, self.ask = _("队员人数"), _("联系方式"), _("请到活动地点或社区咨询")
        self.meeting, self.ask_community = _("活动地点"), _("请到社区咨询")
        self.join, self.join_default, self.hours = _("如何加入"), _("到社区或活动地点报名即可。"), _("近 12 个月服务时长")
        self.hours_amount = gettext("%(hours)s 小时")
        self._people = {}

    def people(self, count):
        """``{% blocktrans count %}{{ count }} 人{% endblocktrans %}``, each count's plural form looked up once."""
        if count not in self._people:
            self._people[count] = translation(ngettext("%(count)s 人", "%(count)s 人", count) % {"count": count})
        return self._people[count]


def team_facts(team, words=None):
    """The ``<dl>`` of a ``selectors.PublicTeam``: place, fields, members, contact, meeting place, how to join, hours."""
    words = words or Words()
    fields = join(fragment(_FIELD, field) for field in team.fields) if team.fields else words.no_fields
    count = team.member_count
    return fragment(
        _FACTS,
        words.place, f"{team.district} · {team.street} · {team.community}",
        words.fields, fields,
        words.members, words.people(count),
        words.contact, f"{team.leader} · " if team.leader else "",
        fragment(_PHONE, team.phone, team.phone) if team.phone else words.ask,
        words.meeting, team.meeting_place or words.ask_community,
        words.join, linebreaksbr(team.how_to_join or words.join_default, autoescape=True),
        words.hours, translation(words.hours_amount % {"hours": floatformat(team.recent_hours, "-1")}),
    )


def team_rows(teams):
    """The ``<article>`` of each team of the list."""
    url = pk_url("volunteers:detail")
    words = Words()
    backbone = fragment(_BACKBONE, _("党员骨干"))
    return join(
        (fragment(_ROW, url(team.pk), team.name, backbone if team.party_backbone else "", team_facts(team, words))
         for team in teams),
        "\n",
    )
