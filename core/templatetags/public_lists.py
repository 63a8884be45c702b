from django import template

from core import public_lists

register = template.Library()


@register.simple_tag
def filter_fields(filters, wrapper="mb-3"):
    """A public list's filter fields (of a form, or of a django-filter FilterSet's form), rendered in one pass
    (``core.public_lists``); those of an unbound one are kept per process (``public_lists.unbound_filter_fields``)."""
    return public_lists.unbound_filter_fields(filters, wrapper)


@register.simple_tag
def field_control(bound_field):
    """One filter field's control without its label (``core.public_lists.field_control``)."""
    return public_lists.field_control(bound_field)
