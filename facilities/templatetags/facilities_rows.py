from django import template

from facilities import rows

register = template.Library()


@register.simple_tag
def centre_rows(centres):
    """The list's rows in one pass (``facilities.rows``)."""
    return rows.centre_rows(centres)
