"""Reads for the home page and the workspace.

The workspace asks every installed app for its part (``AppConfig.workspace_links(user)`` and
``AppConfig.workspace_todos(user)``), so this page imports none of them; the home page's headline counts
are kept per street by database triggers (``portal.figures``, ``StreetFigures``) and summed on reading.
"""

from core.contributions import contributions
from portal import figures


def headline_counts():
    """The city's headline figures: the sums of the rows the database keeps per street, cached until any change
    of the counted models (``figures.kept_headline``)."""
    return figures.kept_headline()


def workspace_sections(user):
    """Links each app offers a signed-in user (``AppConfig.workspace_links(user)``), one section per app."""
    return [
        {"title": config.verbose_name, "links": links}
        for config, links in contributions("workspace_links", user) if links
    ]


def workspace_todos(user):
    """The user's to-dos from every app (``AppConfig.workspace_todos(user)``), most urgent first."""
    todos = [todo for _config, items in contributions("workspace_todos", user) for todo in items]
    return sorted(todos, key=lambda item: item["rank"])
