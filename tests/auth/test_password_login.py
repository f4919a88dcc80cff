"""Password log-in for staff, server-side logout, and 401 (not a redirect) for background requests."""
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.extensions import db
from tests.factories import PASSWORD


def test_worker_logs_in_with_password_and_lands_on_today(client, make):
    worker = make.worker(team=make.team())
    response = client.post("/login/password", data={"username": worker.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/today")


def test_wrong_password_is_refused_and_audited(client, make):
    worker = make.worker(team=make.team())
    response = client.post("/login/password", data={"username": worker.username, "password": "nej"})
    assert response.status_code == 401
    assert "forkert" in response.get_data(as_text=True)
    failed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login")).all()
    assert [e.outcome for e in failed] == ["failed"]


def test_citizen_cannot_use_the_password_form(client, make):
    citizen = make.citizen(with_login=True)
    citizen.user.password_hash = None
    response = client.post("/login/password", data={"username": citizen.user.username, "password": PASSWORD})
    assert response.status_code == 401


def test_logout_revokes_the_session_so_a_replayed_cookie_opens_nothing(client, make):
    worker = make.worker(team=make.team())
    client.post("/login/password", data={"username": worker.username, "password": PASSWORD})
    cookie = client.get_cookie("ledsager_session").value
    assert client.get("/passkeys").status_code == 200
    client.post("/logout")
    replay = client.application.test_client()
    replay.set_cookie("ledsager_session", cookie, domain="localhost")
    response = replay.get("/passkeys")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_background_requests_get_401_not_a_redirect(client):
    response = client.get("/passkeys", headers={"HX-Request": "true"})
    assert response.status_code == 401
    response = client.get("/passkeys", headers={"Accept": "application/json"})
    assert response.status_code == 401 and response.is_json


def test_a_disabled_user_is_out_on_the_next_request(login_as, make):
    worker = make.worker(team=make.team())
    client = login_as(worker)
    assert client.get("/passkeys").status_code == 200
    worker.active = False
    db.session.commit()
    assert client.get("/passkeys").status_code == 302
