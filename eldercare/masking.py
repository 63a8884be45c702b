"""Masking of personal data wherever a list shows people.

``mask_id("230302194501011234")`` → ``2303**********1234``: the province/city
prefix and the last four characters stay, so a clerk can tell two people apart
without the list revealing a whole ID number. ``mask_phone("13812345678")`` →
``138****5678``.
"""

ID_KEEP_START = 4
ID_KEEP_END = 4


def mask_id(value):
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) <= ID_KEEP_START + ID_KEEP_END:
        return "*" * len(text)
    return text[:ID_KEEP_START] + "*" * (len(text) - ID_KEEP_START - ID_KEEP_END) + text[-ID_KEEP_END:]


def mask_phone(value):
    """Mobiles keep 3 + 4 digits; other numbers keep their last four (``****5678``)."""
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) == 11 and text.isdigit():
        return f"{text[:3]}****{text[-4:]}"
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]
