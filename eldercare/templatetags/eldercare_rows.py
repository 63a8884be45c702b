from django import template

from eldercare import rows

register = template.Library()


@register.simple_tag
def facility_rows(facilities):
    """The list's rows in one pass (``eldercare.rows``)."""
    return rows.facility_rows(facilities)


@register.simple_tag
def nearest_rows(found):
    """The nearest search's rows in one pass (``eldercare.rows``)."""
    return rows.nearest_rows(found)
