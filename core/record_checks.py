"""One hook for rules that judge a single record wherever it is written (admin save, workbook import).

Apps register a function ``check(obj) -> [(field name or "", message, severity)]`` (severity ``"error"``
or ``"warning"``); core and exchange call ``issues(obj)`` without importing the app that owns the rules.
"""

CHECKS = []


def register(check):
    if check not in CHECKS:
        CHECKS.append(check)


def issues(obj):
    found = []
    for check in CHECKS:
        found.extend(check(obj))
    return found


def errors(obj):
    return [(field, message) for field, message, severity in issues(obj) if severity == "error"]
