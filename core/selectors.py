"""Reads for the home page and the workspace."""

from django.apps import apps
from django.db.models import Count, Q

from core.caching import ANY, cached_public
from core.fields import Status
from core.models import Division, Level


def headline_counts():
    """The city's headline figures: cached, recomputed after any change of the counted models."""
    return cached_public("headline_counts", _headline_counts, scopes=(ANY,))


def _headline_counts():
    from eldercare.models import Facility
    from facilities.models import Centre
    from volunteers.models import Team

    divisions = Division.objects.aggregate(
        districts=Count("pk", filter=Q(level=Level.DISTRICT)),
        streets=Count("pk", filter=Q(level=Level.STREET)),
        communities=Count("pk", filter=Q(level=Level.COMMUNITY)),
    )
    return {
        **divisions,
        "centres": Centre.objects.filter(status=Status.OPERATING).count(),
        "eldercare": Facility.objects.filter(status=Status.OPERATING).count(),
        "teams": Team.objects.count(),
    }


def workspace_sections(user):
    """Links each app offers a signed-in user (``AppConfig.workspace_links(user)``)."""
    sections = []
    for config in apps.get_app_configs():
        links = getattr(config, "workspace_links", None)
        if links is None:
            continue
        items = links(user)
        if items:
            sections.append({"title": config.verbose_name, "links": items})
    return sections


def workspace_todos(user):
    """The user's to-dos from every app (``AppConfig.workspace_todos(user)``), most urgent first."""
    todos = []
    for config in apps.get_app_configs():
        provider = getattr(config, "workspace_todos", None)
        if provider is not None:
            todos.extend(provider(user))
    return sorted(todos, key=lambda item: item["rank"])
