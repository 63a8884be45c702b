"""Places where an app above compliance adds to its pages without compliance importing it.

- ``OFFICIAL_FIGURES``: ``provider(month, within) -> {street id: {"status": …, "figures": {code: [numerator,
  denominator, …]}}}``: the approved streets' frozen figures of a month inside ``within`` (a district, a street
  or None for the city), read by ``compliance.selectors_official`` in one query;
- ``MATRIX_ROWS``: ``provider(user, month, columns, root) -> [{"label", "note", "cells": [text per column]}]``:
  extra rows under the indicators of the board of ``root`` (None: the deployment's whole area), e.g. the
  reporting rates of each column's division;
- ``STREET_QUALITY``: ``provider(street) -> [issue with .severity, .message]``: more data-quality findings;
- ``STREET_RETURNS``: ``provider(user, street, month) -> HTML``: the street page's 退回修改 section (the month's
  reporting period, its open returns and, for the street's reviewer, the way to return the data).
"""

OFFICIAL_FIGURES = []
MATRIX_ROWS = []
STREET_QUALITY = []
STREET_RETURNS = []


def street_quality(street):
    return [issue for provider in STREET_QUALITY for issue in provider(street)]


def official_figures(month, within):
    found = {}
    for provider in OFFICIAL_FIGURES:
        found.update(provider(month, within))
    return found


def matrix_rows(user, month, columns, root=None):
    extra = []
    for provider in MATRIX_ROWS:
        extra.extend(provider(user, month, columns, root))
    return extra


def street_returns(user, street, month):
    return [provider(user, street, month) for provider in STREET_RETURNS]
