from django import template

from core import public_lists

register = template.Library()


@register.simple_tag
def filter_fields(form, wrapper="mb-3"):
    """A public list's filter fields, rendered in one pass (``core.public_lists``)."""
    return public_lists.filter_fields(form, wrapper)


@register.simple_tag
def field_control(bound_field):
    """One filter field's control without its label (``core.public_lists.field_control``)."""
    return public_lists.field_control(bound_field)
