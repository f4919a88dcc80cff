"""Security headers on every kind of response, and the production start-up guard."""
import pytest

from server import create_app
from server.config import Config


def assert_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
        assert directive in csp
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/login", "/static/css/app.css", "/does-not-exist"])
def test_anonymous_responses_carry_the_security_headers(client, path):
    assert_headers(client.get(path))


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
