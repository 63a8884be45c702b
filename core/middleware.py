"""Responses to signed-in users are never stored by browsers or proxies.

Whatever a signed-in page or download shows may be personal data (the elderly's
ID numbers and phones in an export, a street's records): ``Cache-Control:
no-store, private`` on every response to an authenticated request, and on every
attachment, so that a shared computer's browser cache or a proxy keeps none of it.
"""

from django.utils.cache import patch_cache_control


class PrivateResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.get("Content-Disposition", "").startswith("attachment"):
            patch_cache_control(response, no_store=True, private=True)
        return response
