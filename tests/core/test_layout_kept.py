"""The frame's fixed parts are rendered once per process ({% kept %}, core.templatetags.layout) and still follow
the language, the site's settings and who is signed in."""

import pytest
from django.test import override_settings

from core.templatetags import layout

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_rendered")]


@pytest.fixture
def pages_rendered(settings):
    settings.PUBLIC_PAGE_CACHE = False  # every request renders its frame


def test_the_frame_is_kept_per_language(client):
    chinese = client.get("/").content.decode()
    kept = len(layout._KEPT)
    assert kept >= 3  # head links, header, footer
    assert "跳到正文" in chinese
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "跳到正文" not in english
    assert 'lang="en"' in english
    assert len(layout._KEPT) > kept  # the English frame is kept apart
    assert client.get("/").content.decode().count("跳到正文") == 1


def test_the_footer_follows_the_site_settings(client):
    client.get("/")
    with override_settings(SITE_ICP="黑ICP备12345678号"):
        assert "黑ICP备12345678号" in client.get("/").content.decode()
    assert "黑ICP备12345678号" not in client.get("/").content.decode()


def test_who_is_signed_in_is_not_kept(client, rita):
    client.get("/")
    client.force_login(rita)
    page = client.get("/").content.decode()
    assert "退出" in page
    client.logout()
    assert "退出" not in client.get("/").content.decode()
