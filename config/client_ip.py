"""The client's address for login throttling (django-axes).

Behind nginx (``BEHIND_PROXY=1``) every request arrives from the proxy, so
``REMOTE_ADDR`` would lock every resident of a user name out together. nginx
sets ``X-Real-IP $remote_addr`` on every request, overwriting whatever a client
sent, so that header is trusted then and only then.
"""

from django.conf import settings


def client_ip(request):
    if getattr(settings, "BEHIND_PROXY", False):
        real_ip = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real_ip:
            return real_ip
    return request.META.get("REMOTE_ADDR")
