from django import template

from portal import rows

register = template.Library()


@register.simple_tag
def search_cards(group):
    """A search group's result cards in one pass (``portal.rows``)."""
    return rows.search_cards(group)


@register.simple_tag
def near_cards(places):
    """Near me's result cards in one pass (``portal.rows``)."""
    return rows.near_cards(places)
