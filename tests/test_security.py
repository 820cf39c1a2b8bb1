"""Security: headers, cookies, throttled logins, no inline script anywhere."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import PASSWORD, csrf_token
from workbench.web import CONTENT_SECURITY_POLICY


def test_every_response_carries_the_security_headers(app, client) -> None:  # type: ignore[no-untyped-def]
    for response in (client.get("/"), client.get("/pages/999"), app.test_client().get("/login")):
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_no_template_has_inline_script_or_style() -> None:
    templates = Path(__file__).parents[1] / "workbench" / "web" / "templates"
    for template in templates.rglob("*.html"):
        html = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), template
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", html), template


def test_the_session_cookie_is_http_only_and_same_site(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "name": "tanya",
                                           "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # only when secure_cookies is set, behind HTTPS


def test_logins_are_throttled_per_name(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()

    def attempt(name: str, password: str) -> int:
        return client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "name": name,
                                           "password": password}).status_code

    assert [attempt("tanya", f"guess {n}") for n in range(5)] == [401] * 5
    blocked = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "name": "tanya",
                                          "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "Too many wrong passwords" in blocked.get_data(as_text=True)
    assert attempt("roman", PASSWORD) == 302  # another name is not held up


def test_the_secret_key_is_not_in_the_code() -> None:
    package = Path(__file__).parents[1] / "workbench"
    for source in package.rglob("*.py"):
        assert not re.search(r"SECRET_KEY\s*=\s*['\"]", source.read_text(encoding="utf-8")), source
