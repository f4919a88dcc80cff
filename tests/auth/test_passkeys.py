"""Passkeys through the Flask test client with a software authenticator: registration,
usernameless log-in, and every class of bad assertion rejected."""
import json
from datetime import timedelta

import pytest
from freezegun import freeze_time

from server.auth.models import Credential
from server.db import utcnow
from server.extensions import db
from tests.soft_authenticator import SoftAuthenticator


def register(client, authenticator, **overrides):
    options = client.post("/passkeys/options").get_json()
    return client.post("/passkeys/verify", json=authenticator.create(options, **overrides))


def begin_login(client):
    response = client.post("/login/passkey/options")
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def enrolled(make, login_as):
    """A worker with one registered passkey, logged out again."""
    worker = make.worker(team=make.team())
    client = login_as(worker)
    authenticator = SoftAuthenticator()
    assert register(client, authenticator).status_code == 200
    client.post("/logout")
    return worker, authenticator


def test_registration_stores_the_passkey_with_its_transports(enrolled):
    worker, _ = enrolled
    credential = db.session.query(Credential).filter_by(user_id=worker.id).one()
    assert credential.transports == ["internal", "hybrid"]
    assert credential.public_key


def test_registration_requires_user_verification(make, login_as):
    client = login_as(make.worker(team=make.team()))
    response = register(client, SoftAuthenticator(user_verified=False))
    assert response.status_code == 400
    assert db.session.query(Credential).count() == 0


def test_usernameless_login_with_the_passkey(client, enrolled):
    worker, authenticator = enrolled
    options = begin_login(client)
    assert options["userVerification"] == "required"
    assert len(options["challenge"]) >= 22  # >= 128 bits, base64url
    response = client.post("/login/passkey/verify", json=authenticator.get(options))
    assert response.status_code == 200
    assert response.get_json()["redirect"] == "/today"
    assert client.get("/today").status_code == 200


BAD_ASSERTIONS = {
    "wrong_origin": {"origin": "https://evil.example"},
    "wrong_rp_id": {"rp_id": "evil.example"},
    "no_user_verification": {"user_verified": False},
    "bad_signature": {"tamper_signature": True},
}


@pytest.mark.parametrize("kind", sorted(BAD_ASSERTIONS))
def test_bad_assertions_are_rejected(client, enrolled, kind):
    _, authenticator = enrolled
    options = begin_login(client)
    response = client.post("/login/passkey/verify", json=authenticator.get(options, **BAD_ASSERTIONS[kind]))
    assert response.status_code == 400
    assert client.get("/today").status_code == 302


def test_a_challenge_works_once(client, enrolled):
    _, authenticator = enrolled
    options = begin_login(client)
    with client.session_transaction() as session:
        challenge_id = session["login_challenge"]
    assert client.post("/login/passkey/verify", json=authenticator.get(options)).status_code == 200
    client.post("/logout")
    # Replaying the same challenge (e.g. from an old cookie) fails.
    with client.session_transaction() as session:
        session["login_challenge"] = challenge_id
    response = client.post("/login/passkey/verify", json=authenticator.get(options))
    assert response.status_code == 400


def test_a_failed_attempt_uses_up_the_challenge(client, enrolled):
    _, authenticator = enrolled
    options = begin_login(client)
    with client.session_transaction() as session:
        challenge_id = session["login_challenge"]
    client.post("/login/passkey/verify", json=authenticator.get(options, tamper_signature=True))
    with client.session_transaction() as session:
        session["login_challenge"] = challenge_id
    assert client.post("/login/passkey/verify", json=authenticator.get(options)).status_code == 400


def test_an_expired_challenge_is_rejected(client, enrolled):
    _, authenticator = enrolled
    options = begin_login(client)
    with freeze_time(utcnow() + timedelta(minutes=6)):
        response = client.post("/login/passkey/verify", json=authenticator.get(options))
    assert response.status_code == 400


def test_another_users_credential_cannot_log_in_as_this_user(client, enrolled, make, login_as):
    worker, authenticator = enrolled
    other = make.worker(team=make.team())
    other_authenticator = SoftAuthenticator()
    register(login_as(other), other_authenticator)
    options = begin_login(client)
    assertion = other_authenticator.get(options)
    # Claim to be the first worker: the user handle no longer matches the credential.
    assertion["response"]["userHandle"] = authenticator.get(begin_login(client))["response"]["userHandle"]
    with client.session_transaction() as session:
        session["login_challenge"] = session.get("login_challenge")
    response = client.post("/login/passkey/verify", json=assertion)
    assert response.status_code == 400


def test_malformed_json_is_a_400_not_a_500(client, enrolled):
    begin_login(client)
    response = client.post("/login/passkey/verify", data="not json", content_type="application/json")
    assert response.status_code == 400
    begin_login(client)
    response = client.post("/login/passkey/verify", data=json.dumps({"rawId": 5}), content_type="application/json")
    assert response.status_code == 400
