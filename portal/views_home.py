"""The home page and the signed-in user's workspace: pages every app contributes to."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.caching import cache_public_page
from portal.home import headline_counts, workspace_sections, workspace_todos


@cache_public_page
def home(request):
    return render(request, "portal/home.html", {"counts": headline_counts()})


@login_required
def workspace(request):
    return render(request, "portal/workspace.html", {
        "todos": workspace_todos(request.user), "sections": workspace_sections(request.user),
    })
