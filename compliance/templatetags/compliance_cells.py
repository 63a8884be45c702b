"""``{{ result|result_html }}`` and ``{{ result|cell_class }}``: see compliance.display."""

from django import template

from compliance import display

register = template.Library()
register.filter("result_html", display.result_html)
register.filter("cell_class", display.cell_class)
