"""Server-drawn bar charts (SVG drawn by the template from these numbers): print and work without JavaScript."""

from decimal import Decimal

from django.utils.formats import localize
from django.utils.text import Truncator

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 22, 8, 110, 220
#: Bar colour and the mark after the value by pass/fail (the mark says it without colour).
FILLS = {True: "#198754", False: "#dc3545", None: "#6c757d"}
MARKS = {True: " ✓", False: " ✗", None: ""}


def bars(row):
    """Geometry of one indicator's chart: one bar per district, scaled to the largest of values and target."""
    results = [part for part in row.parts if part.value is not None]
    figure = results[0].figure if results else None
    top = max([float(part.rounded) for part in results] + ([float(figure)] if figure is not None else []) + [0])
    scale = BAR_WIDTH / top if top else 0
    items = []
    for index, part in enumerate(results):
        y = index * (BAR_HEIGHT + GAP)
        width = max(1, round(float(part.rounded) * scale))
        # Numbers as text once here (the template would localise each of them on every render).
        items.append({
            "label": part.division.name, "short_label": Truncator(part.division.name).chars(9),
            "value": localize(part.rounded), "y": str(y), "text_y": str(y + BAR_HEIGHT - 6), "width": str(width),
            "value_x": str(LABEL_WIDTH + width + 4), "passed": part.passed,
            "fill": FILLS[part.passed], "mark": MARKS[part.passed],
        })
    height = max(1, len(items)) * (BAR_HEIGHT + GAP)
    target_x = LABEL_WIDTH + round(float(figure) * scale) if figure is not None and scale else None
    return {
        "items": items, "height": height, "label_width": LABEL_WIDTH, "bar_height": BAR_HEIGHT,
        "width": LABEL_WIDTH + BAR_WIDTH + 70, "target_x": target_x,
        "figure": None if figure is None else format(Decimal(figure).normalize(), "f"),
    }
