from django import template

from eldercare import masking

register = template.Library()


@register.filter
def mask_id(value):
    return masking.mask_id(value)


@register.filter
def mask_phone(value):
    return masking.mask_phone(value)
