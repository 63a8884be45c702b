"""Login throttling (django-axes): five failures by one user name from one address lock that pair."""

import pytest
from django.urls import reverse

from core.models import Role, User

LOGIN = "/accounts/login/"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


@pytest.fixture
def clerk(city):
    user = User(username="clerk1", role=Role.CLERK, division=city["street_a"])
    user.set_password("correct-horse")
    user.save()
    return user


def fail_login(client, username, address="203.0.113.7", password="wrong"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_wrong_password_message_is_chinese(client, clerk):
    response = fail_login(client, "clerk1")
    assert response.status_code == 200
    text = response.content.decode()
    assert "请输入一个正确的用户名和密码" in text
    assert "Please enter a correct" not in text


def test_four_failures_do_not_lock_and_the_right_password_still_works(client, axes_on, clerk):
    for _ in range(4):
        assert fail_login(client, "clerk1").status_code == 200
    response = fail_login(client, "clerk1", password="correct-horse")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_five_failures_lock_the_user_name_at_that_address_with_a_chinese_message(client, axes_on, clerk):
    statuses = [fail_login(client, "clerk1").status_code for _ in range(5)]
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429

    # Now even the right password is refused, with the Chinese lockout page.
    response = fail_login(client, "clerk1", password="correct-horse")
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录已被暂时锁定" in text
    assert "连续登录失败次数过多" in text
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_spill_over_to_another_user_name_or_another_address(client, axes_on, clerk, alice):
    for _ in range(5):
        fail_login(client, "clerk1", address="203.0.113.7")
    assert fail_login(client, "clerk1", address="203.0.113.7").status_code == 429

    # alice from the same address: not locked (her password in tests/personas.py is "pw").
    response = fail_login(client, "alice", address="203.0.113.7", password="pw")
    assert response.status_code == 302
    client.logout()

    # clerk1 from another address: not locked either.
    response = fail_login(client, "clerk1", address="198.51.100.20", password="correct-horse")
    assert response.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, axes_on, clerk):
    for _ in range(4):
        fail_login(client, "clerk1")
    assert fail_login(client, "clerk1", password="correct-horse").status_code == 302
    client.logout()
    for _ in range(4):
        assert fail_login(client, "clerk1").status_code == 200


def test_behind_the_proxy_the_address_counted_is_the_one_nginx_reports(client, axes_on, clerk):
    axes_on.BEHIND_PROXY = True
    proxy = "127.0.0.1"
    for _ in range(5):
        client.post(LOGIN, {"username": "clerk1", "password": "x"}, REMOTE_ADDR=proxy, HTTP_X_REAL_IP="203.0.113.7")
    locked = client.post(
        LOGIN, {"username": "clerk1", "password": "correct-horse"}, REMOTE_ADDR=proxy, HTTP_X_REAL_IP="203.0.113.7"
    )
    assert locked.status_code == 429
    # Another resident behind the same proxy, same user name: not locked out by the first one's failures.
    response = client.post(
        LOGIN, {"username": "clerk1", "password": "correct-horse"}, REMOTE_ADDR=proxy, HTTP_X_REAL_IP="198.51.100.20"
    )
    assert response.status_code == 302


def test_without_the_proxy_setting_a_client_cannot_dodge_the_lock_with_a_forged_header(client, axes_on, clerk):
    for index in range(5):
        client.post(
            LOGIN, {"username": "clerk1", "password": "x"}, REMOTE_ADDR="203.0.113.7", HTTP_X_REAL_IP=f"10.0.0.{index}"
        )
    response = client.post(
        LOGIN, {"username": "clerk1", "password": "correct-horse"}, REMOTE_ADDR="203.0.113.7", HTTP_X_REAL_IP="10.9.9.9"
    )
    assert response.status_code == 429
