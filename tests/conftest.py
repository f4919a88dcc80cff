"""Fixtures: the app on SQLite (default) or PostgreSQL (TEST_DATABASE_URL), a clean database
per test, a client, and log-in helpers."""
import os
import tempfile
import time

import pytest
from sqlalchemy import text

from server import create_app
from server.config import TestConfig
from server.extensions import db
from tests import factories

_TMP = tempfile.mkdtemp(prefix="ledsager-test-")

# The app's "today" is Copenhagen's. Tests that write date.today() mean that same day, also in
# the hour or two after midnight in Copenhagen when the machine (UTC) is still on yesterday.
os.environ["TZ"] = "Europe/Copenhagen"
time.tzset()


def database_url_for_tests() -> str:
    """SQLite in a temporary folder per test process; on PostgreSQL, with pytest-xdist, one
    database per worker process (test_gw0, test_gw1, ...) so parallel workers never share rows."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{_TMP}/test.sqlite"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    base, name = url.rsplit("/", 1)
    per_worker = f"{name}_{worker}"
    _create_database_once(url, per_worker)
    return f"{base}/{per_worker}"


_created: set[str] = set()


def _create_database_once(url: str, name: str) -> None:
    if name in _created:
        return
    from sqlalchemy import create_engine

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _created.add(name)


@pytest.fixture(scope="session")
def app():
    app = create_app(type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url_for_tests()}))
    # Tests keep an app context open while the test client makes requests, so requests share
    # it (and its `g`): forget the previous request's user, as a real request would.
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_cached_user)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _forget_cached_user():
    from flask import g

    g.pop("_login_user", None)
    g.pop("audit_events", None)


@pytest.fixture(autouse=True)
def clean_database(request, app):
    """Empty every table before each test and seed the life dimensions."""
    with app.app_context():
        truncate_all()
        from server.citizens.labels import seed_dimensions

        seed_dimensions(db.session)
        db.session.commit()
    yield


def truncate_all() -> None:
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
def ctx(app):
    """An application context for tests that work with the database directly."""
    with app.test_request_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(ctx):
    return factories


def login(client, user):
    """Log a user in the fast way: a real server-side session row, no password hashing."""
    import secrets

    from server.auth.models import LoginSession
    from server.db import utcnow

    now = utcnow()
    row = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id, created_at=now, last_seen_at=now,
                       method="test")
    db.session.add(row)
    db.session.commit()
    with client.session_transaction() as session:
        session["sid"] = row.id
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client


@pytest.fixture
def login_as(app, ctx):
    """login_as(user) -> a fresh test client logged in as that user."""

    def _login_as(user):
        return login(app.test_client(), user)

    return _login_as
