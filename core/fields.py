"""Validators and small field helpers shared by every app."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Mainland landline (area code 3–4 digits starting with 0, 7–8 digit number, optional
# extension) or mobile (11 digits starting 13–19).
PHONE_REGEX = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|400-?\d{3}-?\d{4})$")
MOBILE_REGEX = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(value):
    if value is None:
        return ""
    text = str(value).strip().replace("－", "-").replace("—", "-").replace(" ", "").replace("\u3000", "")
    if text.endswith(".0") and text[:-2].isdigit():  # a phone typed as a number in Excel
        text = text[:-2]
    return text


def validate_phone(value):
    if value and not PHONE_REGEX.match(normalise_phone(value)):
        raise ValidationError(
            _("“%(value)s”不像电话号码：手机号为 11 位（如 13812345678），固话如 0467-2345678。"),
            code="invalid_phone",
            params={"value": value},
        )


def phone_field(verbose_name=None, **kwargs):
    return models.CharField(
        verbose_name or _("联系电话"), max_length=20, blank=True, validators=[validate_phone], **kwargs
    )


class Status(models.TextChoices):
    OPERATING = "operating", _("运营中")
    CONSTRUCTION = "construction", _("在建")
    CLOSED = "closed", _("停用")


LOCATION_PAIR_MESSAGE = _("纬度和经度须同时填写或同时留空：只有一个坐标无法定位。")


def location_pair_constraint(name):
    """Latitude and longitude both or neither, in the database (every located record)."""
    return models.CheckConstraint(
        condition=Q(latitude__isnull=True, longitude__isnull=True)
        | Q(latitude__isnull=False, longitude__isnull=False),
        name=name,
        violation_error_message=LOCATION_PAIR_MESSAGE,
    )


def location_pair_errors(obj):
    """``{field: message}`` for ``clean()`` when only one coordinate is given (else empty)."""
    if (obj.latitude is None) == (obj.longitude is None):
        return {}
    return {"longitude" if obj.longitude is None else "latitude": LOCATION_PAIR_MESSAGE}


class LocatedQuerySet(models.QuerySet):
    def operating(self):
        return self.filter(status=Status.OPERATING)


#: A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@")


def validate_record_code(value):
    """A record's code (设施编号, 老人编号, …) is an identifier, never a formula nor a control character.

    Codes go into every export's first column; text fields are escaped there, but a code must
    also survive other people's tools (CSV, copy and paste) unchanged.
    """
    if not value:
        return
    if value.startswith(FORMULA_STARTS):
        raise ValidationError(
            _("编号不能以 = + - @ 开头（会被电子表格当作公式）：“%(value)s”。"), code="formula_code", params={"value": value}
        )
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in value):
        raise ValidationError(_("编号不能包含控制字符或不可见字符。"), code="control_code")
