from django.conf import settings


def portal(request):
    context = {"CITY_NAME": settings.CITY_NAME}
    if getattr(request, "public_page_render", False):
        # core.caching.cache_public_page: the page is kept without anyone's CSRF token.
        from core.caching import CSRF_PLACEHOLDER

        context["csrf_token"] = CSRF_PLACEHOLDER
    return context
