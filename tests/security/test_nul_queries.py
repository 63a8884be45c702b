"""A NUL character in a query string is refused with a 400, not a 500 from PostgreSQL (which accepts no NUL in a
text parameter): each of these pages answered 500 to it on PostgreSQL (a fuzzer of the open-data API found one)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/search/?q=a%00b",
    "/search/?q=a%00b&kind=centre",
    "/near/?place=%00",
    "/eldercare/nearest/?community=%00",
    "/eldercare/nearest/?street=%00",
    "/api/hsds/services?search=%00",
    "/api/hsds/organizations?search=%F2%B8%B0%BE%00&full=true",
    "/facilities/?q=%00",
    "/admin/facilities/centre/?q=%00",
])
def test_a_nul_in_the_query_is_a_bad_request(client, city, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):  # the API's errors are JSON
        assert response.json()["status"] == 400 and "NUL" in response.json()["detail"]
    else:
        assert "NUL" in response.content.decode()


def test_an_ordinary_query_is_served(client, city):
    assert client.get("/search/", {"q": "社区 100%"}).status_code == 200
    assert client.get("/api/hsds/services", {"search": "照料"}).status_code == 200
