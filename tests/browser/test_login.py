"""A street clerk signs in through the real login form; anyone can switch the language and back."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_a_clerk_with_a_wrong_password_reads_a_chinese_error_then_signs_in_to_the_workspace(
    live_server, alice, page, axe_check, screenshot
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="数据填报").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/workspace/"))
    assert page.get_by_role("heading", level=1).inner_text() == "工作人员登录"
    axe_check(page)

    page.get_by_label("用户名").fill("alice")
    page.get_by_label("密码").fill("not-her-password")
    page.get_by_role("button", name="登录", exact=True).click()
    error = page.locator(".alert-danger, .invalid-feedback").first
    error.wait_for()
    assert "请输入一个正确的用户名和密码" in error.inner_text()
    axe_check(page)
    screenshot(page, "login-wrong-password")

    page.get_by_label("密码").fill("pw")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(live_server.url + "/workspace/")
    assert page.get_by_role("heading", level=1).inner_text() == "数据填报"
    assert "向阳街道" in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "workspace-clerk")

    page.get_by_role("button", name="退出").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="登录").is_visible()


def test_anyone_can_switch_to_english_and_back(live_server, city, page, axe_check, screenshot):
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_label("用户名").is_visible()

    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.url == live_server.url + "/accounts/login/"
    assert page.get_by_label("Username").is_visible()  # Django's own form label, now in English
    assert page.locator("#language-select").input_value() == "en"
    axe_check(page)
    screenshot(page, "login-english")

    page.locator("#language-select").select_option("zh-hans")
    page.locator("#language-select + button").click()
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    assert page.get_by_label("用户名").is_visible()
    axe_check(page)
