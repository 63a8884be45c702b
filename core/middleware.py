"""Responses to signed-in users are never stored by browsers or proxies; a query with a NUL character is refused.

Whatever a signed-in page or download shows may be personal data (the elderly's
ID numbers and phones in an export, a street's records): ``Cache-Control:
no-store, private`` on every response to an authenticated request, and on every
attachment, so that a shared computer's browser cache or a proxy keeps none of it.
"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


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


class NulQueryMiddleware:
    """A query string with a NUL character (``%00``) is answered 400 before any view reads it.

    No text a person types holds one, and PostgreSQL refuses it in any text parameter: every view that filters
    by a query value (the one search, near me, the nearest search, the open-data lists, the admin's search)
    answered 500 to it, which a fuzzer finds in seconds. Forms already refuse it field by field; this covers
    the values views read themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" not in request.META.get("QUERY_STRING", ""):
            return self.get_response(request)
        message = _("请求参数中含有无效的字符（NUL），请检查链接。")
        if request.path.startswith("/api/"):  # the open-data API's errors are JSON (opendata.http.json_error)
            return JsonResponse({"status": 400, "detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
