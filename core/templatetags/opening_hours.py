from django import template

from core.next_open import describe_hours

register = template.Library()


@register.filter
def hours_words(stored):
    """A day's stored hours as residents read them: “24 小时”, “休息”, or the intervals."""
    return describe_hours(stored)
