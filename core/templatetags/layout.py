"""``{% kept "name" value… %}…{% endkept %}``: a part of every page's frame rendered once per process.

The frame (base.html) is the same few dozen translated words, static-file links and links of argument-less
URLs on every page: rendering them tag by tag was most of the layout's time, which every page pays (a
gettext per word, a manifest lookup per static file). A kept part is rendered the first time, then its HTML
reused for every request with the same values — the values it names (the language, the site's name…), the
script prefix and the URLconf. Only for parts whose HTML depends on nothing else: no user, no token, no
path, no data. A changed setting (tests) empties the memo.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf

register = template.Library()

_KEPT = {}


class KeptNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name, self.values, self.nodelist = name, values, nodelist

    def render(self, context):
        key = (
            self.name.resolve(context), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF,
            *(value.resolve(context) for value in self.values),
        )
        html = _KEPT.get(key)
        if html is None:
            html = _KEPT[key] = self.nodelist.render(context)
        return html


@register.tag
def kept(parser, token):
    """``{% kept "name" value… %}…{% endkept %}`` (see the module)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'kept' takes a name and the values its HTML depends on")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


def _forget(**kwargs):
    _KEPT.clear()


setting_changed.connect(_forget, dispatch_uid="layout-kept-forget")
