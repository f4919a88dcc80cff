"""The caseload page: rows with last contact, next appointment and housing; the cap; no N+1."""
from datetime import timedelta

from sqlalchemy import event, select

from server.audit.models import AuditEvent
from server.db import utcnow
from server.extensions import db
from tests.citizens import builders


def test_caseload_shows_last_successful_contact_next_appointment_and_housing(make, login_as):
    team = make.team()
    worker = make.worker(team=team)
    citizen = make.citizen(worker=worker, first_name="Karin")
    builders.contact(citizen, worker, occurred_at=utcnow() - timedelta(days=3))
    builders.contact(citizen, worker, occurred_at=utcnow() - timedelta(hours=1), reached=False)
    builders.appointment(citizen, worker, starts_at=utcnow() + timedelta(days=2), title="Lægen")
    builders.housing(citizen, worker, "shelter_110", starts_on=utcnow().date() - timedelta(days=60))
    builders.housing(citizen, worker, "rental_public", starts_on=utcnow().date() - timedelta(days=5))
    html = login_as(worker).get("/citizens").get_data(as_text=True)
    assert "Karin" in html
    assert "Egen almen bolig" in html and "Forsorgshjem" not in html
    assert "badge-ok" in html
    assert "Sidste kontakt: ingen endnu" not in html
    assert "Næste aftale: ingen" not in html


def test_caseload_shows_my_count_against_the_cap(make, login_as):
    team = make.team()
    worker = make.worker(team=team)
    for _ in range(6):
        make.citizen(worker=worker)
    html = login_as(worker).get("/citizens").get_data(as_text=True)
    assert "6 af 8" in html


def test_substituted_citizens_are_listed_but_not_counted_in_my_caseload(make, login_as):
    team = make.team()
    worker = make.worker(team=team)
    make.citizen(worker=worker)
    other = make.citizen(worker=make.worker(team=team), first_name="Vikarborger")
    make.substitution(other, worker, granted_by=make.supervisor(team=team))
    html = login_as(worker).get("/citizens").get_data(as_text=True)
    assert "Vikarborger" in html and "1 af 8" in html


def test_warning_when_two_of_my_citizens_are_moving_in(make, login_as):
    team = make.team()
    worker = make.worker(team=team)
    first, second = make.citizen(worker=worker), make.citizen(worker=worker)
    builders.housing_plan(first)
    client = login_as(worker)
    assert "data-moving-in-warning" not in client.get("/citizens").get_data(as_text=True)
    builders.housing_plan(second)
    assert "data-moving-in-warning" in client.get("/citizens").get_data(as_text=True)


def test_supervisor_sees_the_team_and_each_workers_caseload(make, login_as):
    team = make.team()
    anna = make.worker(team=team, name="Anna Andersen")
    make.citizen(worker=anna, first_name="Bo")
    make.citizen(worker=make.worker(team=make.team()), first_name="Fremmed")
    html = login_as(make.supervisor(team=team)).get("/citizens").get_data(as_text=True)
    assert "Bo" in html and "Fremmed" not in html
    assert "Anna Andersen" in html and "1 af 8" in html


def test_the_caseload_list_is_audited(make, login_as):
    worker = make.worker(team=make.team())
    login_as(worker).get("/citizens")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "list")).all()
    assert [(e.subject, e.user_id) for e in events] == [("caseload", worker.id)]


def statements_for(client, path, app):
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def fill(make, worker, n):
    for i in range(n):
        citizen = make.citizen(worker=worker)
        builders.contact(citizen, worker, occurred_at=utcnow() - timedelta(days=i + 1))
        builders.contact(citizen, worker, occurred_at=utcnow() - timedelta(hours=i + 1), reached=False)
        builders.appointment(citizen, worker, starts_at=utcnow() + timedelta(days=i + 1))
        builders.housing(citizen, worker, "street")
        builders.housing_plan(citizen, moving_in=i % 2 == 0)


def test_the_caseload_page_costs_the_same_queries_for_2_and_8_citizens(app, make, login_as):
    small, large = make.worker(team=make.team()), make.worker(team=make.team())
    fill(make, small, 2)
    fill(make, large, 8)
    small_client, large_client = login_as(small), login_as(large)
    small_client.get("/citizens")  # warm-up: first request loads session and user
    large_client.get("/citizens")
    assert statements_for(small_client, "/citizens", app) == statements_for(large_client, "/citizens", app)


def test_the_today_page_costs_the_same_queries_for_2_and_8_citizens(app, make, login_as):
    small, large = make.worker(team=make.team()), make.worker(team=make.team())
    fill(make, small, 2)
    fill(make, large, 8)
    for w, n in ((small, 2), (large, 8)):
        for citizen_id in range(n):
            builders.reminder(w, due_at=utcnow() - timedelta(hours=1))
    small_client, large_client = login_as(small), login_as(large)
    small_client.get("/today")
    large_client.get("/today")
    assert statements_for(small_client, "/today", app) == statements_for(large_client, "/today", app)
