"""With DEBUG off, errors answer with the portal's own Chinese pages; the 500 page needs no database."""

import pytest
from django.test import RequestFactory, override_settings
from django.views.defaults import server_error

from core.models import Role, User


def _templates(response):
    return [template.name for template in response.templates]


def test_a_missing_page_answers_with_the_chinese_404_page(client, db, settings):
    assert settings.DEBUG is False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in _templates(response)
    assert "页面不存在" in response.content.decode()


def test_a_forbidden_page_answers_with_the_chinese_403_page(client, city):
    clerk = User.objects.create(username="clerk", role=Role.CLERK, division=city["street_a"])
    client.force_login(clerk)
    response = client.get("/compliance/snapshots/")
    assert response.status_code == 403
    assert "403.html" in _templates(response)
    assert "无权访问" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.security.error_urls")
def test_a_crash_answers_with_the_chinese_500_page_without_the_details(client, db):
    client.raise_request_exception = False
    response = client.get("/test-500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错了" in page
    assert "数据库连接中断" not in page and "Traceback" not in page


def test_the_500_page_renders_without_touching_the_database():
    # No ``db`` fixture: pytest-django blocks the database, so any query would raise here.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()


@pytest.mark.parametrize("template", ["404.html", "403.html", "500.html"])
def test_error_pages_link_home_and_stay_out_of_search_engines(template):
    from django.template.loader import render_to_string

    page = render_to_string(template)
    assert '<a href="/">' in page and 'name="robots" content="noindex"' in page
