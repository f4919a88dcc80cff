"""The not-reached rule: only a successful contact counts, counted in days, N configurable."""
from datetime import date, timedelta

from server.citizens.models import Citizen
from server.citizens.queries import not_reached
from server.db import utcnow
from server.extensions import db
from tests.citizens import builders


def flagged(team, days=14, now=None):
    rows = db.session.execute(not_reached(Citizen.team_id == team.id, days, now or utcnow())).all()
    return {row.Citizen.id for row in rows}


def test_citizen_reached_yesterday_is_not_flagged(make):
    team = make.team()
    worker = make.worker(team=team)
    citizen = make.citizen(worker=worker)
    builders.contact(citizen, worker, occurred_at=utcnow() - timedelta(days=1))
    assert flagged(team) == set()


def test_an_unsuccessful_attempt_does_not_count_as_reaching_the_citizen(make):
    team = make.team()
    worker = make.worker(team=team)
    citizen = make.citizen(worker=worker)
    builders.contact(citizen, worker, occurred_at=utcnow() - timedelta(days=20))
    builders.contact(citizen, worker, occurred_at=utcnow() - timedelta(hours=2), reached=False)
    assert flagged(team) == {citizen.id}


def test_the_boundary_is_exactly_n_days(make):
    team = make.team()
    worker = make.worker(team=team)
    now = utcnow()
    just_inside = make.citizen(worker=worker)
    just_over = make.citizen(worker=worker)
    builders.contact(just_inside, worker, occurred_at=now - timedelta(days=14) + timedelta(minutes=1))
    builders.contact(just_over, worker, occurred_at=now - timedelta(days=14) - timedelta(minutes=1))
    assert flagged(team, now=now) == {just_over.id}


def test_a_citizen_never_reached_counts_from_the_start_date(make):
    team = make.team()
    worker = make.worker(team=team)
    new = make.citizen(worker=worker, started_on=date.today() - timedelta(days=3))
    old = make.citizen(worker=worker, started_on=date.today() - timedelta(days=30))
    builders.contact(new, worker, occurred_at=utcnow() - timedelta(hours=1), reached=False)
    assert flagged(team) == {old.id}


def test_the_number_of_days_is_configurable(make):
    team = make.team()
    worker = make.worker(team=team)
    citizen = make.citizen(worker=worker)
    builders.contact(citizen, worker, occurred_at=utcnow() - timedelta(days=8))
    assert flagged(team, days=14) == set()
    assert flagged(team, days=7) == {citizen.id}


def test_the_today_page_uses_the_configured_number_of_days(app, make, login_as):
    team = make.team()
    worker = make.worker(team=team)
    citizen = make.citizen(worker=worker, first_name="Otto")
    builders.contact(citizen, worker, occurred_at=utcnow() - timedelta(days=8))
    client = login_as(worker)
    section = lambda html: html.split("data-today-not-reached", 1)[1]
    assert "Otto" not in section(client.get("/today").get_data(as_text=True))
    app.config["NOT_REACHED_DAYS"] = 7
    try:
        assert "Otto" in section(client.get("/today").get_data(as_text=True))
    finally:
        app.config["NOT_REACHED_DAYS"] = 14


def test_ended_courses_and_other_teams_are_not_flagged(make):
    team, other = make.team(), make.team()
    worker = make.worker(team=team)
    ended = make.citizen(worker=worker, status="ended")
    make.citizen(worker=make.worker(team=other))
    assert ended.id not in flagged(team)
    assert flagged(team) == set()
