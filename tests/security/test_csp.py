"""Content Security Policy: present on every kind of response, and no inline or eval'd script allowed.

The browser tests show the pages also work with it enforced (tests/browser/test_csp_in_browser.py).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"}


def policy(response):
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy header on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = set(words[1:])
    return directives


def script_sources(directives):
    """What the browser falls back to: script-src-elem → script-src → default-src."""
    for name in ("script-src-elem", "script-src", "default-src"):
        if name in directives:
            return directives[name]
    return {"*"}


@pytest.fixture
def pages(client, alice):
    anonymous = {
        "home": client.get("/"),
        "login": client.get("/accounts/login/"),
        "not found": client.get("/no-such-page/"),
        "failed login": client.post("/accounts/login/", {"username": "alice", "password": "wrong"}),
    }
    client.force_login(alice)
    anonymous["workspace"] = client.get("/workspace/")
    anonymous["admin"] = client.get("/admin/")
    return anonymous


def test_every_kind_of_page_carries_a_policy_without_inline_scripts(pages):
    for name, response in pages.items():
        directives = policy(response)
        sources = script_sources(directives)
        assert not sources & UNSAFE_SOURCES, f"{name}: script sources {sources} allow unsafe scripts"
        assert not any(source.startswith(("'sha", "'nonce")) for source in sources), f"{name}: {sources}"
        assert directives.get("object-src") == {"'none'"}, name
        assert directives.get("frame-ancestors") == {"'none'"}, name
        assert directives.get("base-uri") == {"'self'"}, name
        assert "'unsafe-inline'" not in directives.get("style-src", directives.get("default-src", set())), name


def test_the_policy_checker_itself_rejects_a_policy_with_unsafe_inline():
    assert script_sources({"default-src": {"'self'"}, "script-src": {"'self'", "'unsafe-inline'"}}) & UNSAFE_SOURCES
    assert script_sources({"default-src": {"'unsafe-inline'"}}) & UNSAFE_SOURCES
    assert script_sources({}) & UNSAFE_SOURCES


def test_a_missing_policy_is_noticed(client, settings):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != "csp.middleware.CSPMiddleware"]
    with pytest.raises(AssertionError, match="no Content-Security-Policy header"):
        policy(client.get("/accounts/login/"))


def test_the_other_security_headers_are_sent(pages):
    response = pages["home"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def project_templates():
    folders = [BASE_DIR / "templates", *(path for path in BASE_DIR.glob("*/templates") if ".venv" not in path.parts)]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_the_project_s_own_templates_have_no_inline_script_style_or_event_handler():
    templates = project_templates()
    assert any(path.name == "base.html" for path in templates)
    offenders = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for pattern, what in ((INLINE_SCRIPT, "inline <script>"), (INLINE_STYLE, "style="), (INLINE_HANDLER, "on…=")):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(BASE_DIR)}: {what}")
    assert offenders == []


@pytest.mark.parametrize(
    ("html", "bad"),
    [
        ('<script src="/static/a.js" defer></script>', False),
        ("<script>alert(1)</script>", True),
        ('<script type="application/json" id="d">{}</script>', False),
        ('<script type="module">import x</script>', True),
        ('<div style="color:red">', True),
        ('<button onclick="go()">', True),
    ],
)
def test_the_template_scanner_tells_inline_code_from_external(html, bad):
    found = bool(INLINE_SCRIPT.search(html) or INLINE_STYLE.search(html) or INLINE_HANDLER.search(html))
    assert found is bad
