"""Server-drawn bar charts (SVG markup built here, once per chart): print and work without JavaScript."""

from decimal import Decimal

from core.html import fragment, join

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
        items.append({
            "label": part.division.name, "short_label": short(part.division.name),
            # 2 decimals, "." in both interface languages
            "value": str(part.rounded), "y": y, "text_y": y + BAR_HEIGHT - 6, "width": width,
            "value_x": LABEL_WIDTH + width + 4, "passed": part.passed,
            "fill": FILLS[part.passed], "mark": MARKS[part.passed],
        })
    height = max(1, len(items)) * (BAR_HEIGHT + GAP)
    target_x = LABEL_WIDTH + round(float(figure) * scale) if figure is not None and scale else None
    chart = {
        "items": items, "height": height, "label_width": LABEL_WIDTH, "bar_height": BAR_HEIGHT,
        "width": LABEL_WIDTH + BAR_WIDTH + 70, "target_x": target_x,
        "figure": None if figure is None else format(Decimal(figure).normalize(), "f"),
    }
    chart["svg"] = svg(row, chart) if items else ""
    return chart


def short(name, length=9):
    """A bar label of at most ``length`` characters (the full name is in the bar's title)."""
    return name if len(name) <= length else f"{name[:length - 1]}…"


BAR = (
    '<text x="0" y="{}" font-size="12" fill="#212529">{}</text>'
    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}</title></rect>'
    '<text x="{}" y="{}" font-size="12" fill="#212529">{}{}</text>'
)


def svg(row, chart):
    """The chart's markup (every value escaped by ``fragment``): a template loop over the bars cost more."""
    bars_markup = join([
        fragment(BAR, bar["text_y"], bar["short_label"], chart["label_width"], bar["y"], bar["width"],
                 chart["bar_height"], bar["fill"], bar["label"], bar["value"], bar["value_x"], bar["text_y"],
                 bar["value"], bar["mark"])
        for bar in chart["items"]
    ])
    target = ""
    if chart["target_x"]:
        target = fragment(
            '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="#0d6efd" stroke-width="2" stroke-dasharray="4 3"/>',
            chart["target_x"], chart["target_x"], chart["height"],
        )
    return fragment(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}">{}{}</svg>',
        chart["width"], chart["height"], chart["width"], chart["height"], row.indicator.name, bars_markup, target,
    )
