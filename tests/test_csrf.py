"""CSRF (SECURITY.md #9): every state-changing route rejects a request without a valid token,
and no GET route changes state."""
import pytest
from sqlalchemy import func, select

from server import create_app
from server.auth.models import Role
from server.extensions import db
from server.policy import PUBLIC
from tests.conftest import TestConfig, login, database_url_for_tests
from tests.test_policy import build_url, routes

# Rows that reading may write: the access log, session bookkeeping and passkey challenges.
READ_SIDE_EFFECT_TABLES = {"audit_events", "login_sessions", "webauthn_challenges"}


@pytest.fixture(scope="module")
def csrf_app(app):
    return create_app(type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url_for_tests(),
                                                    "WTF_CSRF_ENABLED": True}))


@pytest.fixture
def users(make):
    team = make.team()
    return {
        Role.WORKER: make.worker(team=team),
        Role.SUPERVISOR: make.supervisor(team=team),
        Role.CITIZEN: make.citizen(team=team, with_login=True).user,
        Role.ADMIN: make.admin(),
    }


def client_for(app, allowed, users):
    client = app.test_client()
    if allowed is not PUBLIC:
        role = sorted(allowed)[0]
        login(client, users[role])
    return client


def test_every_state_changing_route_rejects_a_missing_or_bad_token(csrf_app, users):
    table = csrf_app.extensions["ledsager_policy"]
    accepted = []
    for rule, method in routes(csrf_app):
        if method == "GET":
            continue
        url = build_url(rule)
        for token in (None, "forged-token"):
            client = client_for(csrf_app, table[rule.endpoint], users)
            headers = {"Accept": "application/json"}
            if token:
                headers["X-CSRFToken"] = token
            response = client.open(url, method=method, headers=headers, data={"csrf_token": token or ""})
            if response.status_code != 400 or (response.is_json and response.get_json().get("reason") != "csrf"):
                accepted.append(f"{method} {url} token={token!r}: {response.status_code}")
    assert accepted == []


def table_counts():
    return {t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in db.metadata.sorted_tables if t.name not in READ_SIDE_EFFECT_TABLES}


def test_no_get_route_changes_state(app, users):
    table = app.extensions["ledsager_policy"]
    before = table_counts()
    for rule, method in routes(app):
        if method != "GET":
            continue
        client = client_for(app, table[rule.endpoint], users)
        client.get(build_url(rule))
    db.session.expire_all()
    assert table_counts() == before
