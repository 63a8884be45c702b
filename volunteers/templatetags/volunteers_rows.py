from django import template

from volunteers import rows

register = template.Library()


@register.simple_tag
def team_rows(teams):
    """The list's rows in one pass (``volunteers.rows``)."""
    return rows.team_rows(teams)


@register.simple_tag
def team_facts(team):
    """A team's public facts (``volunteers.rows.team_facts``)."""
    return rows.team_facts(team)
