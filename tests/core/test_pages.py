import pytest

from core.models import Division


def test_home_page_is_chinese_with_headline_counts(city, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in page
    assert "全市概况" in page and 'name="q"' in page
    communities = Division.objects.communities().count()
    assert f'<dd class="count">{communities}</dd>' in page


def test_language_switcher_offers_english(city, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page


def test_bootstrap_comes_from_our_own_static_files(client, db):
    page = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "cdn" not in page.lower()


def test_login_page_is_in_chinese(client, db):
    response = client.get("/accounts/login/")
    assert "工作人员登录" in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_gives_a_chinese_error(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_logout_is_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.get("/workspace/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/workspace/").status_code == 302
