"""One hook for rules that judge a single record wherever it is written (admin save, workbook import).

Apps register a function ``check(obj) -> [(field name or "", message, severity)]`` (severity ``"error"``
or ``"warning"``); core and exchange call ``issues(obj)`` without importing the app that owns the rules.
"""

CHECKS = []
#: ``notice(obj) -> [message]``: what the record's own page must tell its editor (e.g. open returns naming it).
NOTICES = []


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


def register_notice(notice):
    if notice not in NOTICES:
        NOTICES.append(notice)


def notices(obj):
    return [message for notice in NOTICES for message in notice(obj)]
