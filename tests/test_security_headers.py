"""Security headers on every kind of response, and the production start-up guard."""
import pytest

from server import create_app
from server.config import Config


DOCUMENT_DIRECTIVES = ("script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'")


def csp_problems(response) -> list[str]:
    """A document (HTML) carries the app's full policy. Anything else may instead carry the
    locked-down one (default-src 'none': no script, no object, nothing), which is all a CSP can
    do for a stylesheet, a script file, an image or JSON should one be opened as a document."""
    csp = response.headers.get("Content-Security-Policy", "")
    directives = [d.strip() for d in csp.split(";") if d.strip()]
    if not directives or "unsafe-inline" in csp or "unsafe-eval" in csp:
        return ["CSP"]
    locked_down = directives[0] == "default-src 'none'" and all(
        d.split()[0] in ("default-src", "base-uri", "frame-ancestors", "sandbox") or d.endswith("'none'")
        for d in directives)
    required = ("base-uri 'none'", "frame-ancestors 'none'") if locked_down and response.mimetype != "text/html" \
        else DOCUMENT_DIRECTIVES
    return [d for d in required if d not in directives]


def assert_headers(response):
    assert csp_problems(response) == []
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/login", "/static/css/app.css", "/does-not-exist"])
def test_anonymous_responses_carry_the_security_headers(client, path):
    assert_headers(client.get(path))


def test_documents_carry_the_full_policy_and_files_the_locked_down_one(client):
    page = client.get("/login")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    # The service worker's script: its CSP is the worker's own policy (fetch, importScripts).
    assert "connect-src 'self'" in client.get("/sw.js").headers["Content-Security-Policy"]
    for path in ("/static/css/app.css", "/sw/outbox.js", "/manifest.webmanifest"):
        response = client.get(path)
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'"), path
        assert "Cross-Origin-Opener-Policy" not in response.headers, path
        assert_headers(response)


def test_the_csp_check_refuses_a_loose_or_missing_policy():
    from flask import Response

    def with_csp(csp, mimetype="text/css"):
        return Response("", mimetype=mimetype, headers={"Content-Security-Policy": csp} if csp else {})

    assert csp_problems(with_csp("default-src 'none'; base-uri 'none'; frame-ancestors 'none'")) == []
    assert csp_problems(with_csp(None)) == ["CSP"]
    assert csp_problems(with_csp("default-src 'none'; base-uri 'none'"))  # framing allowed
    assert csp_problems(with_csp("default-src 'none'; script-src *; base-uri 'none'; frame-ancestors 'none'"))
    assert csp_problems(with_csp("default-src 'none'; base-uri 'none'; frame-ancestors 'none'", "text/html"))


def test_authenticated_pages_and_fragments_are_not_stored_by_caches(login_as, make):
    client = login_as(make.worker(team=make.team()))
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/passkeys", headers=headers)
        assert_headers(response)
        assert response.headers["Cache-Control"] == "no-store"


def test_cookies_are_httponly_samesite_and_secure_by_default(make):
    worker = make.worker(team=make.team())
    app = create_app(type("C", (Config,), {"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True,
                                          "WTF_CSRF_ENABLED": False}))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    del worker


@pytest.mark.parametrize("override", [{"SECRET_KEY": "dev-only-not-secret"}, {"SECRET_KEY": "short"},
                                      {"SECRET_KEY": "x" * 40, "DEBUG": True}])
def test_production_refuses_to_start_with_a_default_secret_or_debug(override):
    settings = {"LEDSAGER_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", **override}
    with pytest.raises(RuntimeError):
        create_app(settings)


def test_production_starts_with_a_real_secret():
    app = create_app({"LEDSAGER_ENV": "production", "SECRET_KEY": "k" * 48, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["LEDSAGER_ENV"] == "production"
