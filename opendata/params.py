"""The query parameters of the HSDS API, parsed or refused with a Chinese message that names the parameter."""

import re
from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from opendata import selectors, taxonomy
from opendata.ids import normalise

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
MAX_PROXIMITY_M = 50_000


class ParamError(ValueError):
    """A parameter the API can't use: the message says which and why (a 400 response)."""


def integer(query, name, default, *, low=1, high=None):
    raw = query.get(name, "").strip()
    if raw == "":
        return default
    if not re.fullmatch(r"[+-]?\d{1,9}", raw):
        raise ParamError(f"参数 {name} 应为整数，“{raw[:40]}”不是。")
    value = int(raw)
    # Out-of-range numbers are clamped rather than refused: page 0 is the first page, per_page 10000 the largest.
    value = max(value, low)
    return min(value, high) if high is not None else value


def boolean(query, name):
    raw = query.get(name, "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise ParamError(f"参数 {name} 应为 true 或 false，“{raw[:40]}”不是。")


def paging(query):
    return integer(query, "page", 1), integer(query, "per_page", DEFAULT_PER_PAGE, high=MAX_PER_PAGE)


def modified_after(query):
    raw = query.get("modified_after", "").strip()
    if not raw:
        return None
    moment = None
    try:
        moment = parse_datetime(raw.replace(" ", "+")) if "T" in raw or ":" in raw else None
        if moment is None:
            day = parse_date(raw)
            if day is not None:
                moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise ParamError(f"参数 modified_after 应为 ISO 8601 日期或日期时间（如 2026-01-31 或 2026-01-31T08:00:00+08:00），“{raw[:40]}”不是。")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def selection(query):
    """The taxonomy filter: a term's records, a taxonomy's records, or None (no filter)."""
    result = None
    term_text = query.get("taxonomy_term_id", "").strip()
    if term_text:
        term_id = normalise(term_text)
        result = taxonomy.selection_for_term(taxonomy.term_by_id(term_id) if term_id else None)
    taxonomy_text = query.get("taxonomy_id", "").strip()
    if taxonomy_text:
        tax_id = normalise(taxonomy_text)
        chosen = taxonomy.selection_for_taxonomy(taxonomy.taxonomy_by_id(tax_id) if tax_id else None)
        result = chosen if result is None else _both(result, chosen)
    return result


def _both(first, second):
    def join(a, b):
        return None if a is None or b is None else a & b

    return taxonomy.Selection(*(join(getattr(first, k), getattr(second, k)) for k in ("centre", "facility", "team")))


def organization(query):
    raw = query.get("organization_id", "").strip()
    if not raw:
        return None
    org_id = normalise(raw)
    found = selectors.organization_by_id(org_id) if org_id else None
    if found is None:
        return ("none", None)
    return selectors.organization_filter(found)


def proximity(query):
    """``postcode`` (a community's 12-digit division code: the portal has no postcodes) and ``proximity`` (metres)."""
    raw = query.get("proximity", "").strip()
    code = query.get("postcode", "").strip()
    if not raw and not code:
        return None
    if not raw or not code:
        raise ParamError("参数 proximity（米）和 postcode（社区的 12 位统计用区划代码）须同时提供。")
    try:
        metres = float(raw)
    except ValueError:
        raise ParamError(f"参数 proximity 应为距离（米），“{raw[:40]}”不是。") from None
    if not 0 < metres <= MAX_PROXIMITY_M:
        raise ParamError(f"参数 proximity 应在 0 到 {MAX_PROXIMITY_M} 米之间，“{raw[:40]}”不是。")
    if not re.fullmatch(r"\d{12}", code):
        raise ParamError(f"参数 postcode 应为社区的 12 位统计用区划代码，“{code[:40]}”不是。")
    point = selectors.community_point(code)
    if point is None:
        raise ParamError(f"没有区划代码为 {code} 且有经纬度的社区，无法按距离查找。")
    return (point[0], point[1], metres)


def output_format(query):
    raw = query.get("format", "").strip().lower()
    if raw in ("", "json"):
        return "json"
    if raw == "ndjson":
        return "ndjson"
    raise ParamError(f"参数 format 只能是 json 或 ndjson，“{raw[:40]}”不是。")


def filters(query, *, near=False):
    return selectors.Filters(
        search=query.get("search", "").strip()[:100],
        selection=selection(query),
        organization=organization(query),
        modified_after=modified_after(query),
        near=proximity(query) if near else None,
    )
