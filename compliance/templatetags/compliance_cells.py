"""``{{ result|result_html }}``: see compliance.display (a cell's class is ``result.cell_class``)."""

from django import template

from compliance import display

register = template.Library()
register.filter("result_html", display.result_html)
