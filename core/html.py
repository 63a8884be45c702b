"""The one way to build HTML in Python, and the only module that calls ``mark_safe`` (ruff bans it elsewhere).

``format_html`` with the same contract — every value escaped unless already safe — for markup built in
Python: cells of big tables and server-drawn SVG charts. ``fragment`` is ``format_html`` without its
per-argument lazy-string checks (``conditional_escape``), which cost most of the compliance matrix's
render when called for hundreds of cells; values are escaped as Django's ``escape`` escapes a string.
"""

from html import escape

from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

__all__ = ["format_html", "fragment", "join", "translated", "translation"]


def _escaped(value):
    # Safe text is kept and so is a whole number (no markup in its digits); anything else is escaped.
    if isinstance(value, SafeData) or type(value) is int:
        return value
    return escape(str(value))


def fragment(template, *values):
    """``template.format(*values)`` with every value HTML-escaped (values already safe are kept), marked safe.

    ``template`` is markup written by the programmer, never text that came from a user or the database.
    """
    return mark_safe(template.format(*map(_escaped, values)))  # noqa: S308 - every value escaped  # nosec B308, B703


def join(fragments, separator=""):
    """Fragments joined into one; a fragment that is not safe already is escaped, as is the separator."""
    return mark_safe(_escaped(separator).join(map(_escaped, fragments)))  # noqa: S308 - escaped  # nosec B308, B703


def translation(text):
    """A message from the catalogue (``gettext``'s result), kept unescaped as ``{% trans %}`` and ``{% blocktrans %}``
    output it: its words are the translators', not a visitor's. Values put into it must be escaped already."""
    return mark_safe(text)  # noqa: S308 - the project's own translations  # nosec B308, B703



def translated(message):
    """``message`` looked up in the catalogue (``gettext``) and kept as ``translation`` keeps it; rows built in
    Python import it as ``_`` so that ``makemessages`` finds their words."""
    return translation(gettext(message))
