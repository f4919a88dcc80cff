"""The administrator's pages: users, roles, deactivation, passwords, passkey reset, teams."""
import pytest

from server.audit.models import AuditEvent
from server.auth.models import Credential, LoginSession, User
from server.auth.passwords import check_password
from server.extensions import db
from server.teams.models import Team

ADMIN_PAGES = ["/admin", "/admin/users", "/admin/users/new", "/admin/teams", "/admin/retention"]


@pytest.mark.parametrize("role", ["worker", "supervisor", "citizen"])
def test_admin_pages_are_403_for_everyone_else(make, login_as, role):
    team = make.team()
    user = {"worker": lambda: make.worker(team=team), "supervisor": lambda: make.supervisor(team=team),
            "citizen": lambda: db.session.get(User, make.citizen(team=team, with_login=True).user_id)}[role]()
    client = login_as(user)
    for url in ADMIN_PAGES + [f"/admin/users/{user.id}"]:
        assert client.get(url).status_code == 403, url
    assert client.post("/admin/users", data={}).status_code == 403
    assert client.post(f"/admin/users/{user.id}/passkeys/reset").status_code == 403


def test_admin_pages_open_for_an_admin(make, login_as):
    client = login_as(make.admin())
    for url in ADMIN_PAGES:
        assert client.get(url).status_code == 200, url
    assert "183 dage" in client.get("/admin/retention").get_data(as_text=True)


def test_admin_creates_a_worker_with_a_password(make, login_as):
    team = make.team()
    client = login_as(make.admin())
    response = client.post("/admin/users", data={"name": "Ny Kollega", "username": "Ny.Kollega", "role": "worker",
                                                 "team_id": team.id, "active": "y",
                                                 "password": "en-lang-adgangskode"})
    assert response.status_code == 303
    user = db.session.query(User).filter_by(username="ny.kollega").one()
    assert user.role == "worker" and user.team_id == team.id and user.active
    assert check_password(user.password_hash, "en-lang-adgangskode")
    assert db.session.query(AuditEvent).filter_by(action="admin").count() == 1


def test_bad_user_input_is_422_with_messages_and_saves_nothing(make, login_as):
    team = make.team()
    taken = make.worker(team=team, username="taget")
    client = login_as(make.admin())
    bad = [
        {"name": "", "username": "a1", "role": "worker", "team_id": team.id},
        {"name": "X", "username": "taget", "role": "worker", "team_id": team.id},
        {"name": "X", "username": "ok1", "role": "citizen", "team_id": team.id},
        {"name": "X", "username": "ok2", "role": "worker", "team_id": ""},
        {"name": "X", "username": "ok3", "role": "worker", "team_id": 99999},
        {"name": "X", "username": "ok4", "role": "worker", "team_id": team.id, "password": "kort"},
        {"name": "X", "username": "med mellemrum", "role": "admin"},
    ]
    before = db.session.query(User).count()
    for data in bad:
        response = client.post("/admin/users", data=data)
        assert response.status_code == 422, data
        assert 'class="error"' in response.get_data(as_text=True)
    assert db.session.query(User).count() == before
    assert taken.username == "taget"


def test_deactivating_a_user_ends_their_sessions(make, login_as):
    team = make.team()
    worker = make.worker(team=team)
    worker_client = login_as(worker)
    assert worker_client.get("/passkeys").status_code == 200
    response = login_as(make.admin()).post(f"/admin/users/{worker.id}", data={
        "name": worker.name, "username": worker.username, "role": "worker", "team_id": team.id})
    assert response.status_code == 303
    assert db.session.query(LoginSession).filter_by(user_id=worker.id, revoked_at=None).count() == 0
    assert worker_client.get("/passkeys").status_code in (302, 401)


def test_a_new_password_replaces_the_old_one_and_ends_sessions(make, login_as):
    team = make.team()
    worker = make.worker(team=team)
    login_as(worker)
    login_as(make.admin()).post(f"/admin/users/{worker.id}", data={
        "name": worker.name, "username": worker.username, "role": "worker", "team_id": team.id, "active": "y",
        "password": "helt-ny-adgangskode"})
    db.session.expire_all()
    user = db.session.get(User, worker.id)
    assert check_password(user.password_hash, "helt-ny-adgangskode") and user.active
    assert db.session.query(LoginSession).filter_by(user_id=worker.id, revoked_at=None).count() == 0


def test_an_admin_cannot_lock_themselves_out(make, login_as):
    admin = make.admin()
    response = login_as(admin).post(f"/admin/users/{admin.id}", data={
        "name": admin.name, "username": admin.username, "role": "admin"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


def test_passkey_reset_removes_all_passkeys_and_sessions(make, login_as):
    team = make.team()
    worker = make.worker(team=team)
    for n in range(2):
        make.save(Credential(user_id=worker.id, credential_id=bytes([n]) * 16, public_key=b"k", transports=[]))
    login_as(worker)
    response = login_as(make.admin()).post(f"/admin/users/{worker.id}/passkeys/reset")
    assert response.status_code == 303
    assert db.session.query(Credential).filter_by(user_id=worker.id).count() == 0
    assert db.session.query(LoginSession).filter_by(user_id=worker.id, revoked_at=None).count() == 0
    assert login_as(make.admin()).post("/admin/users/99999/passkeys/reset").status_code == 404


def test_admin_creates_and_updates_teams_with_validated_cadences(make, login_as):
    client = login_as(make.admin())
    assert client.post("/admin/teams", data={"name": "ICM Vest", "municipality": "Søby",
                                             "meeting_cadence_days": 7, "supervision_cadence_days": 42}).status_code == 303
    team = db.session.query(Team).filter_by(name="ICM Vest").one()
    prefix = f"team{team.id}-"
    response = client.post(f"/admin/teams/{team.id}", data={prefix + "name": "ICM Vest", prefix + "municipality": "Søby",
                                                            prefix + "meeting_cadence_days": 0,
                                                            prefix + "supervision_cadence_days": 42})
    assert response.status_code == 422 and "Mellem 1 og 90 dage" in response.get_data(as_text=True)
    response = client.post(f"/admin/teams/{team.id}", data={prefix + "name": "ICM Vest", prefix + "municipality": "Søby",
                                                            prefix + "meeting_cadence_days": 14,
                                                            prefix + "supervision_cadence_days": 30})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Team, team.id).meeting_cadence_days == 14
    assert client.post("/admin/teams", data={"name": "", "municipality": ""}).status_code == 422
    assert db.session.query(Team).count() == 1


def test_admin_has_no_access_to_case_data(make, login_as):
    team = make.team()
    citizen = make.citizen(worker=make.worker(team=team))
    client = login_as(make.admin())
    assert client.get("/team").status_code == 403
    assert client.get(f"/team/citizens/{citizen.id}/reassign").status_code == 403


def test_admin_overview_links_users_teams_retention_and_the_offers_catalogue(make, login_as):
    html = login_as(make.admin()).get("/admin").get_data(as_text=True)
    for href in ("/admin/users", "/admin/teams", "/admin/retention", "/offers"):
        assert f'href="{href}' in html, href
