"""What the outbox asks the server: a fresh CSRF token, and which pages may be kept offline."""
from datetime import timedelta

from server.auth.models import Role
from server.db import utcnow


def test_token_gives_a_fresh_csrf_token_and_the_logged_in_user(login_as, make):
    worker = make.worker(team=make.team())
    response = login_as(worker).get("/sync/token", headers={"Accept": "application/json"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["user_id"] == worker.id
    assert body["csrf_token"]
    assert body["max_age_days"] == 30
    assert response.headers["Cache-Control"] == "no-store"


def test_token_answers_401_json_not_a_redirect_when_logged_out(client):
    response = client.get("/sync/token", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert "error" in response.get_json()


def test_token_answers_401_for_a_fetch_from_the_service_worker(client):
    # The service worker's fetch sends Sec-Fetch-Mode/Dest, not always an Accept header.
    response = client.get("/sync/token", headers={"Sec-Fetch-Mode": "same-origin", "Sec-Fetch-Dest": "empty"})
    assert response.status_code == 401


def test_offline_pages_are_today_and_the_workers_own_caseload_only(login_as, make):
    team = make.team()
    worker, colleague = make.worker(team=team), make.worker(team=team)
    mine = make.citizen(worker=worker)
    theirs = make.citizen(worker=colleague)
    substituted = make.citizen(worker=colleague)
    make.substitution(substituted, worker, make.supervisor(team=team))

    body = login_as(worker).get("/sync/offline-pages").get_json()
    assert body["user_id"] == worker.id
    assert body["pages"] == ["/outbox", "/today", "/citizens", "/reminders", f"/citizens/{mine.id}"]
    assert body["form_prefixes"] == [f"/citizens/{mine.id}/", "/reminders/"]
    assert theirs.id != mine.id and substituted.id != mine.id


def test_offline_pages_leave_out_a_citizen_after_reassignment(login_as, make, ctx):
    from server.citizens.models import Assignment
    from server.extensions import db

    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    assignment = db.session.query(Assignment).filter_by(citizen_id=citizen.id).one()
    assignment.ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    body = login_as(worker).get("/sync/offline-pages").get_json()
    assert f"/citizens/{citizen.id}" not in body["pages"]


def test_supervisor_keeps_only_the_outbox_page_offline(login_as, make):
    supervisor = make.supervisor(team=make.team())
    body = login_as(supervisor).get("/sync/offline-pages").get_json()
    assert body["pages"] == ["/outbox"] and body["form_prefixes"] == []


def test_citizens_and_admins_get_no_offline_pages(login_as, make):
    citizen = make.citizen(worker=make.worker(team=make.team()), with_login=True)
    from server.auth.models import User
    from server.extensions import db

    citizen_user = db.session.get(User, citizen.user_id)
    assert citizen_user.role == Role.CITIZEN
    for user in (citizen_user, make.admin()):
        response = login_as(user).get("/sync/offline-pages")
        assert response.status_code == 200
        assert response.get_json()["pages"] == [] and response.get_json()["form_prefixes"] == []


def test_offline_page_list_is_audited(login_as, make, ctx):
    from sqlalchemy import select

    from server.audit.models import AuditEvent
    from server.extensions import db

    worker = make.worker(team=make.team())
    login_as(worker).get("/sync/offline-pages")
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == worker.id)).all()
    assert "list" in actions


def test_outcome_forms_of_appointments_around_now_may_be_kept(login_as, make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    soon = make.appointment(citizen, worker, starts_at=utcnow() + timedelta(days=1))
    long_ago = make.appointment(citizen, worker, starts_at=utcnow() - timedelta(days=60))
    pages = login_as(worker).get("/sync/offline-pages").get_json()["pages"]
    assert f"/appointments/{soon.id}/outcome" in pages
    assert f"/appointments/{long_ago.id}/outcome" not in pages
