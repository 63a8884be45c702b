"""/healthz is liveness; /readyz checks the database and the cache; private responses are never stored."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from core import views


class DownDatabase:
    def cursor(self):
        raise OperationalError("connection refused")


@pytest.mark.django_db
def test_readyz_answers_ok_when_the_database_and_the_cache_work(client):
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_readyz_is_503_naming_the_database_when_it_is_down_and_healthz_stays_200(client, monkeypatch):
    monkeypatch.setattr(views, "connection", DownDatabase())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode() == "database: unavailable\n"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_readyz_is_503_naming_the_cache_when_redis_is_down(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "core.cache_backends.FailSoftRedisCache", "LOCATION": "redis://127.0.0.1:1/14"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content.decode() == "cache: unavailable\n"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["exchange:export", "exchange:template", "compliance:xlsx", "workspace"])
def test_downloads_and_pages_for_signed_in_users_are_no_store_private(as_user, adam, url):
    response = as_user(adam).get(reverse(url))
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


@pytest.mark.django_db
def test_public_pages_stay_cacheable(client):
    assert "no-store" not in client.get("/facilities/").get("Cache-Control", "")
