"""Places where an app above compliance adds to its pages without compliance importing it.

- ``OFFICIAL``: ``provider(street, month, targets) -> rows or None``: a street's official (approved)
  figures for a month, shown instead of today's figures when they exist;
- ``MATRIX_ROWS``: ``provider(user, month, columns) -> [{"label", "note", "cells": [text per column]}]``:
  extra rows under the indicators (e.g. the reporting rates of each column's division);
- ``STREET_QUALITY``: ``provider(street) -> [issue with .severity, .message]``: more data-quality findings.
"""

OFFICIAL = []
MATRIX_ROWS = []
STREET_QUALITY = []


def street_quality(street):
    return [issue for provider in STREET_QUALITY for issue in provider(street)]


def official_rows(street, month, targets):
    for provider in OFFICIAL:
        rows = provider(street, month, targets)
        if rows is not None:
            return rows
    return None


def matrix_rows(user, month, columns):
    extra = []
    for provider in MATRIX_ROWS:
        extra.extend(provider(user, month, columns))
    return extra
