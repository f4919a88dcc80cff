"""Log-in attempts are limited per IP and per account; a breach answers 429 and is audited."""
import pytest
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.extensions import db, limiter


@pytest.fixture
def limits_on(app):
    limiter.reset()
    default = app.config["LOGIN_RATE_LIMIT"]
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    yield
    app.config["LOGIN_RATE_LIMIT"] = default
    limiter.reset()


def test_password_attempts_per_account_are_limited_even_across_ips(app, make, limits_on):
    worker = make.worker(team=make.team())
    statuses = []
    for n in range(5):
        client = app.test_client()
        response = client.post("/login/password", data={"username": worker.username, "password": "wrong"},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        statuses.append(response.status_code)
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]
    limited = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "rate_limited")).all()
    assert len(limited) == 2


def test_attempts_per_ip_are_limited_across_accounts(app, limits_on):
    client = app.test_client()
    statuses = [client.post("/login/password", data={"username": f"user{n}", "password": "x"}).status_code
                for n in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_enrolment_codes_cannot_be_guessed_quickly(app, limits_on):
    client = app.test_client()
    statuses = [client.post("/enrol/options", json={"code": "AAAA-AAA" + str(n)}).status_code for n in range(5)]
    assert statuses[-1] == 429
