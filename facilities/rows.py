"""The rows of /facilities/, built in one pass with ``core.html`` (no template, include or ``{% url %}`` per row).

The markup is what ``templates/facilities/centre_list.html`` wrote per row; the words are translated once a page.
"""

from django.utils.translation import gettext

from core.html import fragment, join
from core.html import translated as _
from core.next_open import ROUND_THE_CLOCK
from core.public_lists import pk_url

_ROW = (
    '<li class="mb-3">\n    <article class="card">\n      <div class="card-body">\n'
    '        <h2 class="h5 card-title"><a href="{}">{}</a></h2>\n'
    '        <p class="mb-1">{}</p>\n'
    '        <dl class="centre-facts mb-0">\n'
    "          <dt>{}</dt><dd>{}</dd>\n"
    "          <dt>{}</dt><dd>{}</dd>\n"
    "          <dt>{}</dt><dd>{}</dd>\n"
    "          {}\n"
    "        </dl>\n      </div>\n    </article>\n  </li>"
)
_OPEN = '<span class="badge text-bg-success badge-open">{}</span>'
_CLOSED = '<span class="badge text-bg-secondary badge-closed">{}</span>'
_PHONE = '<dt>{}</dt><dd><a href="tel:{}">{}</a></dd>'


def centre_rows(centres):
    """The ``<li>`` of each centre (``core.opening.annotate_today`` has set ``today_hours`` and ``is_open``)."""
    url = pk_url("facilities:detail")
    is_open, closed = fragment(_OPEN, _("正在开放")), fragment(_CLOSED, _("现在未开放"))
    address_word, hours_word, community_word, phone_word = _("地址"), _("今天开放时间"), _("所在社区"), _("电话")
    # core.next_open.describe_hours, its two words translated once a page (they stay escaped, as the filter's were)
    described = {"": gettext("休息"), ROUND_THE_CLOCK: gettext("24 小时")}
    rows = []
    for centre in centres:
        rows.append(fragment(
            _ROW,
            url(centre.pk), centre.name,
            is_open if centre.is_open else closed,
            address_word, centre.address,
            hours_word, described.get(centre.today_hours or "", centre.today_hours),
            community_word, f"{centre.district_name or ''} {centre.street_name or ''} {centre.community_name}",
            fragment(_PHONE, phone_word, centre.phone, centre.phone) if centre.phone else "",
        ))
    return join(rows, "\n  ")
