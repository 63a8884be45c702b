"""``{% site_url 'name' %}``: a link of every page's frame (base.html), reversed once per process.

The header and footer link the same few argument-less URLs on every page; ``{% url %}`` reversed each of them
on every request (a tenth of a light page's time). The result depends only on the URLconf and the script
prefix, which are the key; a changed setting (tests) empties the memo.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

register = template.Library()

_REVERSED = {}


@register.simple_tag
def site_url(name):
    """The path of the argument-less URL ``name``, or ``""`` when there is none (as ``{% url … as var %}``)."""
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    url = _REVERSED.get(key)
    if url is None:
        try:
            url = reverse(name)
        except NoReverseMatch:
            url = ""
        _REVERSED[key] = url
    return url


def _forget(**kwargs):
    _REVERSED.clear()


setting_changed.connect(_forget)
