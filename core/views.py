from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.caching import cache_public_page
from core.selectors import headline_counts, workspace_sections


@cache_public_page
def home(request):
    return render(request, "core/home.html", {"counts": headline_counts()})


@login_required
def workspace(request):
    return render(request, "core/workspace.html", {"sections": workspace_sections(request.user)})


def healthz(request):
    """Load-balancer health check and the benchmark's bare-Django baseline: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")
