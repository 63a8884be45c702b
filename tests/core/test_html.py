"""core.html: markup built in Python escapes every value that is not already safe (as format_html does)."""

import tomllib
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import SafeData
from django.utils.translation import gettext_lazy

from core.html import fragment, join

ROOT = Path(__file__).resolve().parents[2]


def test_fragment_escapes_like_format_html_and_keeps_safe_values():
    hostile = '<script>alert("x")</script> & \'q\''
    template = '<td class="{}" title="{}">{}</td>'
    built = fragment(template, "cell-pass", hostile, format_html("<b>{}</b>", 5))
    assert isinstance(built, SafeData)
    assert built == format_html(template, "cell-pass", hostile, format_html("<b>{}</b>", 5))
    assert "<script>" not in built and "&lt;script&gt;" in built


def test_fragment_accepts_numbers_and_lazy_text():
    assert fragment("{}|{}|{}", 3, 2.5, gettext_lazy("达标")) == "3|2.5|达标"


def test_join_keeps_fragments_and_escapes_plain_text():
    joined = join([fragment("<i>{}</i>", "a"), "<b>"], "<br>")
    assert joined == "<i>a</i>&lt;br&gt;&lt;b&gt;"
    assert isinstance(joined, SafeData)


def test_ruff_bans_mark_safe_outside_core_html():
    ruff = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert "django.utils.safestring.mark_safe" in ruff["flake8-tidy-imports"]["banned-api"]
    assert any(code.startswith("TID") for code in ruff["select"])
    assert ruff["per-file-ignores"]["core/html.py"] == ["TID251"]
    skipped = {".venv", "node_modules", "tests"}
    callers = [path.relative_to(ROOT).as_posix() for path in ROOT.glob("*/**/*.py")
               if not skipped & set(path.relative_to(ROOT).parts) and "mark_safe(" in path.read_text(encoding="utf-8")]
    assert callers == ["core/html.py"]
