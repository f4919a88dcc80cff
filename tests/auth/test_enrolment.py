"""A citizen enrols on their own phone with a one-time code from their worker."""
import re
from datetime import timedelta

from freezegun import freeze_time

from server.auth.models import Credential
from server.db import utcnow
from server.extensions import db
from tests.soft_authenticator import SoftAuthenticator

# A code standing alone: the same letters inside the page's CSRF token (base64) once matched first.
CODE = re.compile(r"(?<![A-Za-z0-9_.-])[A-Z2-9]{4}-[A-Z2-9]{4}(?![A-Za-z0-9_.-])")


def issue_code(login_as, worker, citizen) -> str:
    response = login_as(worker).post(f"/citizens/{citizen.id}/enrolment-code", headers={"HX-Request": "true"})
    assert response.status_code == 200
    return re.search(CODE, response.get_data(as_text=True)).group(0)


def enrol(client, code, authenticator):
    options = client.post("/enrol/options", json={"code": code})
    if options.status_code != 200:
        return options
    return client.post("/enrol/verify", json=authenticator.create(options.get_json()))


def test_citizen_enrols_with_the_code_and_lands_on_their_plan(client, make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    code = issue_code(login_as, worker, citizen)
    response = enrol(client, code, SoftAuthenticator())
    assert response.status_code == 200
    assert response.get_json()["redirect"] == "/me/plan"
    assert db.session.query(Credential).filter_by(user_id=citizen.user_id).count() == 1


def test_the_code_works_only_once(client, make, login_as, app):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    code = issue_code(login_as, worker, citizen)
    assert enrol(client, code, SoftAuthenticator()).status_code == 200
    stranger = app.test_client()
    assert enrol(stranger, code, SoftAuthenticator()).status_code == 400


def test_the_code_expires_after_ten_minutes(client, make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    code = issue_code(login_as, worker, citizen)
    with freeze_time(utcnow() + timedelta(minutes=10, seconds=5)):
        assert enrol(client, code, SoftAuthenticator()).status_code == 400


def test_a_wrong_code_is_refused_with_a_message(client):
    response = enrol(client, "AAAA-BBBB", SoftAuthenticator())
    assert response.status_code == 400
    assert "Koden er forkert" in response.get_json()["error"]


def test_a_new_code_replaces_the_old_one(client, make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    old = issue_code(login_as, worker, citizen)
    issue_code(login_as, worker, citizen)
    assert enrol(client, old, SoftAuthenticator()).status_code == 400


def test_revoking_a_lost_phone_removes_passkeys_and_ends_the_citizens_session(client, make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    enrol(client, issue_code(login_as, worker, citizen), SoftAuthenticator())
    assert client.get("/passkeys").status_code == 200
    login_as(worker).post(f"/citizens/{citizen.id}/passkeys/revoke")
    assert db.session.query(Credential).filter_by(user_id=citizen.user_id).count() == 0
    assert client.get("/passkeys").status_code == 302


def test_the_qr_link_fills_in_the_code(client):
    page = client.get("/enrol?code=ABCD-EFGH").get_data(as_text=True)
    assert 'value="ABCD-EFGH"' in page
