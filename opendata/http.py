"""Plain HTTP for the open-data API: per-client rate limit, cached bodies with ETag/Last-Modified, JSON errors.

A response body is kept per process (the "pages" cache) under the public data's version (``core.caching``),
the local date (holiday exceptions start from today) and the full URL, so a repeated request costs a cache
hit; its ETag is a hash of the body, so an unchanged body answers ``If-None-Match`` with 304 on every server.
``Last-Modified`` is when this server first saw the current version of the public data (or midnight, when the
schedules' window moved). CORS headers come from django-cors-headers (``CORS_URLS_REGEX`` in settings); the rate limit is
``opendata.ratelimit``.
"""

import hashlib
import json
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import override

from config.client_ip import client_ip
from core.caching import TIMEOUT, cached_public, public_version
from core.opening import local_now
from opendata.params import ParamError
from opendata.ratelimit import COUNTER

JSON = "application/json; charset=utf-8"
MAX_AGE = 60  # seconds a client may reuse a response without asking again


def dumps(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def json_error(status, message, **headers):
    response = HttpResponse(dumps({"status": status, "detail": message}), status=status, content_type=JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def rate_limited(request):
    """A 429 response when this client has used up its requests of the current window, else None."""
    allowed, limit, wait = COUNTER.hit(client_ip(request) or "unknown", settings.OPENDATA_RATE_LIMIT)
    if allowed:
        return None
    wait = int(wait) + 1
    return json_error(
        429,
        f"请求过于频繁：每个客户端每 {settings.OPENDATA_RATE_LIMIT.split('/')[1]} 最多 {limit} 次请求。"
        f"请在 {wait} 秒后重试，或下载数据包（datapackage.zip）一次取得全部数据。",
        Retry_After=str(wait),
    )


def _since():
    """When this version of the public data was first served (shared by every process through the cache)."""
    seen = cached_public("opendata:since", lambda: int(timezone.now().timestamp()), timeout=None)
    midnight = int(local_now().replace(hour=0, minute=0, second=0, microsecond=0).timestamp())
    return max(seen, midnight)


def _entry(body, content_type):
    """What a cached response keeps: its body, type, ETag (a hash of the body) and Last-Modified."""
    return (body, content_type, f'"{hashlib.sha256(body).hexdigest()[:32]}"', _since())


def _finish(request, body, content_type, etag, last_modified, status=200):
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = conditional or HttpResponse(body, content_type=content_type, status=status)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ["Origin"])
    return response


def api_view(view):
    """GET/HEAD only, rate-limited, cached per data version and URL, answered conditionally.

    ``view(request, *args)`` returns data to serialise as JSON, or an HttpResponse (an error, a stream).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = json_error(405, f"开放数据接口只读，不接受 {request.method} 请求。")
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        limited = rate_limited(request)
        if limited is not None:
            return limited
        day = local_now().strftime("%Y%m%d")
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
        key = f"opendata:v{public_version()}:{day}:{url}"
        pages = caches["pages"]
        entry = pages.get(key) if settings.PUBLIC_PAGE_CACHE else None
        if entry is None:
            try:
                with override("zh-hans"):  # the data is Chinese, whatever the visitor's language
                    result = view(request, *args, **kwargs)
            except ParamError as error:
                return json_error(400, str(error))
            if isinstance(result, HttpResponseBase):
                return result
            entry = _entry(dumps(result), JSON)
            pages.set(key, entry, TIMEOUT)
        return _finish(request, *entry)

    return wrapped


def not_found(kind, text):
    return json_error(404, f"没有 id 为“{text[:60]}”的{kind}（开放数据只包含公开的记录）。")
