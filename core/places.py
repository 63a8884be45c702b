"""The district → street cascade of the public filters, and a paginator whose cost doesn't grow with the city.

A city at 40× has 6,000 streets: one <select> of all of them is most of a list page's weight and of its
render time. The street list therefore only holds the chosen district's streets (a district has a few
dozen at most); a link that names only a street gets its district filled in (one query).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from core.models import Division


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def fill_district(data, *, by="pk"):
    """``(data, district)``: the GET data with ``district`` filled in from ``street`` when only a street is given.

    ``by`` is the field the parameters name a division by (``"pk"`` or ``"code"``); ``district`` is that
    value of the chosen district, or None.
    """
    if data is None:
        return None, None
    district, street = data.get("district") or None, data.get("street") or None
    if by == "pk":
        district, street = _int(district), _int(street)
    if district is None and street is not None:
        district = (
            Division.objects.streets().filter(**{by: street}).values_list(f"district__{by}", flat=True).first()
        )
        if district is not None:
            data = data.copy()
            data["district"] = str(district)
    return data, district


def streets_of(district, *, by="pk"):
    """The streets of one district (``by`` its pk or code), by code; none when no district is chosen."""
    if district is None:
        return Division.objects.none()
    return Division.objects.streets().filter(**{f"district__{by}": district}).order_by("code")


class CappedPaginator(Paginator):
    """Pages over at most ``cap`` rows: the count and the deepest OFFSET stay bounded at any size.

    ``capped`` tells the template that more rows match than are paged ("narrow your search").
    """

    cap = 1000

    @cached_property
    def count(self):
        found = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)

    capped = False
