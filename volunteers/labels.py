from django.utils.translation import gettext_lazy as _

from core.models import Level


def workplace_label(division):
    """A street stands for its social-work station; a community is named with its street."""
    if division.level == Level.STREET:
        return _("%(street)s社会工作站（%(code)s）") % {"street": division.name, "code": division.code}
    street = f"{division.street.name} · " if division.street_id else ""
    return f"{street}{division.name}（{division.code}）"
