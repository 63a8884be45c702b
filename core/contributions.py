"""How an app adds to a page of another app without either importing the other.

A page asks every installed app for its part by the name of an ``AppConfig`` method
(``workspace_links(user)``, ``workspace_todos(user)``, ``admin_panels(request, obj)``); an app that
has nothing to add simply has no such method. This keeps the layers pointing one way
(core ← facilities, eldercare, volunteers ← compliance, exchange, reporting, opendata ← portal):
the page lives low, the contributions come from above.
"""

from django.apps import apps


def contributions(hook, *args):
    """``[(app_config, result), …]`` of every installed app that has the method ``hook``, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        provider = getattr(config, hook, None)
        if provider is not None:
            found.append((config, provider(*args)))
    return found
