"""What of a team may be shown to the public.

Members' and leaders' personal data is never public (DOMAIN.md): a team phone is shown
only when it is a landline, the leader only as surname + 队长, and mobile numbers typed into
free text (活动地点, 加入方式) are blanked out.
"""

import re

from django.utils.translation import gettext_lazy as _

from core.fields import MOBILE_REGEX, normalise_phone

# A mobile number inside free text, also when split by spaces or dashes (138 1234 5678).
MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9](?:[\s-]?\d){9}(?!\d)")
# Two-character surnames common enough to matter; everything else takes the first character.
COMPOUND_SURNAMES = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "端木",
}
NO_PUBLIC_PHONE = _("请到活动地点或社区咨询")
HIDDEN_MOBILE = _("（手机号不公开）")


def public_phone(phone):
    """The team phone if it is a landline (or 400 number); a mobile number is someone's own."""
    text = normalise_phone(phone)
    if not text or MOBILE_REGEX.match(text) or MOBILE_IN_TEXT.search(text):
        return ""
    return text


def surname(name):
    name = (name or "").strip()
    if not name:
        return ""
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[0]


def leader_title(name):
    """``姚秀兰`` → ``姚队长``; empty when no leader is recorded."""
    family = surname(name)
    return _("%(surname)s队长") % {"surname": family} if family else ""


def _hidden(match):
    return str(HIDDEN_MOBILE)


def redact_mobiles(text):
    # The words are translated only where a number is found (not for every text checked).
    return MOBILE_IN_TEXT.sub(_hidden, text or "")
