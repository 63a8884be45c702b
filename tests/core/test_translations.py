"""The English catalogue is complete and faithful, and English visitors really get English pages.

Every msgid is Simplified Chinese; ``locale/en/LC_MESSAGES/django.po`` carries the English. Babel compiles it
(``make translations``) and skips fuzzy entries — or the whole catalogue when its header is fuzzy — so an entry
that is empty or fuzzy shows Chinese to an English reader.
"""

import re
from collections import Counter

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"

# %(name)s, %(size).1f, %s, %d, %% — and str.format fields such as {day}.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
HTML_TAG = re.compile(r"<[^>]+>")


def placeholders(text):
    return Counter(PERCENT_PLACEHOLDER.findall(text)) + Counter(BRACE_PLACEHOLDER.findall(text))


def html_tags(text):
    return Counter(HTML_TAG.findall(text))


def load_catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="en")


def pairs(message):
    """(source, translation) for each form: singular against msgid, plural forms against msgid_plural."""
    if isinstance(message.id, tuple | list):
        singular, plural = message.id
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        return [(singular if index == 0 else plural, string) for index, string in enumerate(strings)]
    return [(message.id, message.string)]


def describe(message):
    where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
    return f"{message.id!r} ({where})"


def entries():
    return [message for message in load_catalogue() if message.id]


def test_placeholder_pattern_sees_every_kind_of_placeholder():
    text = "%(name)s 有 %(size).1f MB，%s、%d 个，100%%，{day}"
    assert sorted(placeholders(text).elements()) == sorted(["%(name)s", "%(size).1f", "%s", "%d", "%%", "{day}"])
    assert placeholders("第 %(n)s / %(total)s 页") != placeholders("Page %(n)s of %(count)s")


def test_the_english_catalogue_is_not_fuzzy_and_declares_english_plurals():
    catalogue = load_catalogue()
    assert not catalogue.fuzzy, "the header is fuzzy: Babel would skip the whole catalogue"
    assert catalogue.num_plurals == 2
    assert str(catalogue.locale) == "en"
    assert len(entries()) > 600  # the whole project, not a stub


def test_every_entry_is_translated():
    untranslated = [describe(message) for message in entries() if not all(string.strip() for _, string in pairs(message))]
    assert not untranslated, f"{len(untranslated)} entries have an empty msgstr: {untranslated[:10]}"


def test_no_entry_is_fuzzy():
    fuzzy = [describe(message) for message in entries() if message.fuzzy]
    assert not fuzzy, f"{len(fuzzy)} entries are fuzzy (Babel skips them): {fuzzy[:10]}"


def test_every_translation_keeps_the_placeholders_of_its_msgid():
    wrong = [
        f"{describe(message)}: {dict(placeholders(source))} ≠ {dict(placeholders(string))}"
        for message in entries()
        for source, string in pairs(message)
        if string and placeholders(source) != placeholders(string)
    ]
    assert not wrong, "\n".join(wrong)


def test_every_translation_keeps_the_html_of_its_msgid():
    wrong = [
        describe(message)
        for message in entries()
        for source, string in pairs(message)
        if string and html_tags(source) != html_tags(string)
    ]
    assert not wrong, wrong


def test_no_translation_is_still_chinese():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    # Workbook headers and values stay Chinese in the file itself, so the instructions quote them.
    quoted_workbook_words = ("是", "否", "休息", "十助", "老人编号", "探访日期", "探访人", "方式", "助老", "环境", "治安")

    def without_quotes(string):
        for word in quoted_workbook_words:
            string = string.replace(word, "")
        return string

    still_chinese = [
        describe(message)
        for message in entries()
        for _, string in pairs(message)
        if cjk.search(without_quotes(string))
    ]
    assert not still_chinese, still_chinese


@pytest.fixture
def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(
    ("url", "english_heading", "chinese_heading"),
    [
        ("/", "City overview", "全市概况"),
        ("/", "Find service centres, eldercare and volunteer teams", "查找服务中心、养老服务、志愿服务队"),
        ("/near/", "Use my location", "使用我的位置"),
        ("/facilities/", '<h1 class="h3 mb-3">Community service centres</h1>', "社区综合服务设施"),
        ("/accounts/login/", "Staff login", "工作人员登录"),
    ],
)
def test_after_switching_to_english_the_page_is_english(city, english, url, english_heading, chinese_heading):
    page = english.get(url).content.decode()
    assert '<html lang="en">' in page
    assert english_heading in page
    assert chinese_heading not in page
    # The header and footer come from base.html on every page.
    assert "Public services" in page and "公共服务" not in page
    assert "Civil Affairs Bureau" in page and "民政局" not in page


def test_the_english_login_form_has_english_labels_and_button(city, english):
    page = english.get("/accounts/login/").content.decode()
    assert "Username" in page and "Password" in page
    assert ">Log in</button>" in page
    assert "居民查看公共服务信息无需登录" not in page


def test_switching_back_to_chinese_shows_chinese_again(city, english):
    english.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = english.get("/facilities/").content.decode()
    assert "社区综合服务设施" in page
    assert "Community service centres" not in page
