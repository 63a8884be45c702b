"""The rows of /eldercare/, built in one pass with ``core.html`` (no template loop or ``{% url %}`` per row).

The markup is what ``templates/eldercare/list.html`` wrote per row; the words are translated once a page.
"""

from core.html import fragment, join
from core.html import translated as _
from core.public_lists import pk_url

_ROW = (
    '<li class="col-12 col-md-6">\n      <article class="card h-100 eldercare-card">\n        <div class="card-body">\n'
    '          <h3 class="h6 card-title mb-1"><a href="{}">{}</a></h3>\n'
    '          <p class="mb-1 small">\n'
    '            <span class="badge text-bg-light border">{}</span>\n'
    "            {}\n"
    "          </p>\n"
    '          <p class="mb-1 small">{}</p>\n'
    '          <p class="mb-1">{}</p>\n'
    "          {}\n"
    "          {}\n"
    "        </div>\n      </article>\n    </li>"
)
_OPEN = '<span class="badge text-bg-success badge-open">{}</span>'
_CLOSED = '<span class="badge text-bg-secondary badge-closed">{}</span>'
_PHONE = '<p class="mb-1"><a href="tel:{}">{}</a></p>'
_SERVICES = '<ul class="eldercare-services small" aria-label="{}">\n            {}\n          </ul>'


def _place(facility):
    """``district street community``, the street left out when there is none (as the template wrote it)."""
    district = facility.district_name or ""
    if facility.street_name is not None:
        return f"{district} {facility.street_name} {facility.division_name}"
    return f"{district} {facility.division_name}"


def facility_rows(facilities):
    """The ``<li>`` of each facility (``annotate_today`` and ``selectors.with_labels`` have run on them)."""
    url = pk_url("eldercare:detail")
    is_open, closed = fragment(_OPEN, _("正在开放")), fragment(_CLOSED, _("现在未开放"))
    services_word = _("服务项目")
    rows = []
    for facility in facilities:
        services = ""
        if facility.service_labels:
            services = fragment(_SERVICES, services_word, join(fragment("<li>{}</li>", label) for label in facility.service_labels))
        rows.append(fragment(
            _ROW,
            url(facility.pk), facility.name,
            facility.kind_label,
            is_open if facility.is_open else closed,
            _place(facility),
            facility.address,
            fragment(_PHONE, facility.phone, facility.phone) if facility.phone else "",
            services,
        ))
    return join(rows, "\n    ")


_NEAREST = (
    '\n      <li class="list-group-item d-flex flex-wrap justify-content-between gap-2">\n'
    "        <div>\n"
    '          <a href="{}">{}</a>\n'
    '          <span class="badge text-bg-light border">{}</span><br>\n'
    '          <span class="small">{}</span>\n'
    "        </div>\n"
    "        <strong>{}</strong>\n"
    "      </li>\n      "
)


def nearest_rows(rows):
    """The ``<li>`` of each of the nearest search's rows (``selectors.nearest_facilities``)."""
    url = pk_url("eldercare:detail")
    return join(
        fragment(_NEAREST, url(row["facility"].pk), row["facility"].name, row["kind"], row["facility"].address,
                 row["distance"])
        for row in rows
    )
