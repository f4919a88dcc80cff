"""The fidelity scorecard: each criterion against a small team whose right answers are known."""
from datetime import timedelta

from server.citizens.models import Assignment
from server.db import utcnow
from server.extensions import db
from server.teams.models import SupervisionSession, TeamMeeting
from tests.teams import builders as b


def scorecard(client):
    html = client.get("/team/fidelity").get_data(as_text=True)
    return html


def criterion(html, key):
    start = html.index(f'data-criterion="{key}"')
    end = html.find("data-criterion=", start + 20)
    return html[start:end if end > 0 else None]


def test_every_criterion_is_computed_from_the_recorded_data(make, login_as):
    team = make.team(meeting_cadence_days=7, supervision_cadence_days=42)
    boss = make.supervisor(team=team)
    w, busy = make.worker(team=team), make.worker(team=team, name="Birte Travl")
    good = make.citizen(worker=w, first_name="God")
    orphan = make.citizen(team=team, first_name="Forældreløs")  # no primary worker
    silent = make.citizen(worker=w, first_name="Stille")
    for _ in range(9):
        make.citizen(worker=busy)
    b.plan(good, w, review_on=b.days(-30))
    b.assess(good, w, *b.ALL_KEYS)
    b.assess(silent, w, *b.ALL_KEYS[:7])
    # Contacts: 3 at home/chosen place, 1 at the office, an attempt (not counted).
    b.contact(good, w, days_ago=1, place="home")
    b.contact(good, w, days_ago=2, place="chosen")
    b.contact(good, w, days_ago=3, place="office")
    b.contact(orphan, w, days_ago=4, place="home")
    b.contact(silent, w, days_ago=5, place="street", reached=False)
    b.contact(silent, w, days_ago=60, place="home")
    html = scorecard(login_as(boss))

    one = criterion(html, "one_primary_worker")
    assert 'data-met="no"' in one and "11 af 12 borgere" in one and "Forældreløs" in one
    cap = criterion(html, "caseload")
    assert 'data-met="no"' in cap and "Birte Travl" in cap and "9 borgere" in cap
    plan = criterion(html, "plan_reviewed")
    assert "1 af 12 borgere" in plan and "Stille" in plan and "God Testsen" not in plan
    assert f'href="/citizens/{silent.id}/plan"' in plan  # evidence leads to where it can be fixed
    dims = criterion(html, "all_dimensions")
    assert "1 af 12 borgere" in dims and "7 af 8 afdækket" in dims
    assert f'href="/citizens/{silent.id}/assessment"' in dims
    home = criterion(html, "home_contacts")
    assert "4 af 5 kontakter" in home and "80 %" in home and 'data-met="yes"' in home
    outreach = criterion(html, "outreach")
    # Not reached (no reached contact in 14 days): Stille (attempted 5 days ago: fine) and
    # the 9 never-contacted citizens of the busy worker (no attempts: given up).
    assert "9 ikke nået uden forsøg" in outreach and "Stille" not in outreach


def test_meeting_and_supervision_cadence(make, login_as):
    team = make.team(meeting_cadence_days=30, supervision_cadence_days=45)
    boss = make.supervisor(team=team)
    now = utcnow()
    for days_ago in (5, 35):
        make.save(TeamMeeting(team_id=team.id, held_at=now - timedelta(days=days_ago), chaired_by_id=boss.id))
    make.save(SupervisionSession(team_id=team.id, held_on=b.days(10), kind="external"))
    html = scorecard(login_as(boss))
    meetings = criterion(html, "team_meetings")
    assert 'data-met="no"' in meetings and "2 holdt, 3 forventet" in meetings  # 90 days / 30
    supervision = criterion(html, "supervision")
    assert 'data-met="no"' in supervision and "1 holdt, 2 forventet" in supervision
    make.save(TeamMeeting(team_id=team.id, held_at=now - timedelta(days=65), chaired_by_id=boss.id))
    make.save(SupervisionSession(team_id=team.id, held_on=b.days(55), kind="internal"))
    html = scorecard(login_as(boss))
    assert 'data-met="yes"' in criterion(html, "team_meetings")
    assert 'data-met="yes"' in criterion(html, "supervision")


def test_a_worker_over_cap_with_an_override_still_fails_the_caseload_criterion(make, login_as):
    team = make.team()
    boss = make.supervisor(team=team)
    w = make.worker(team=team, name="Dispensation")
    for _ in range(8):
        make.citizen(worker=w)
    ninth = make.citizen(team=team)
    make.save(Assignment(citizen_id=ninth.id, worker_id=w.id, starts_at=utcnow(), cap_override_reason="kort tid"))
    client = login_as(boss)
    assert 'data-met="no"' in criterion(scorecard(client), "caseload")
    assert "1 med dispensation" in client.get("/team").get_data(as_text=True)


def test_a_worker_with_a_substitution_keeps_the_citizen_in_one_caseload(make, login_as):
    team = make.team()
    boss = make.supervisor(team=team)
    w, sub = make.worker(team=team), make.worker(team=team, name="Vikar Vera")
    c = make.citizen(worker=w)
    make.substitution(c, sub, boss)
    client = login_as(boss)
    html = scorecard(client)
    assert 'data-met="yes"' in criterion(html, "one_primary_worker")
    board = client.get("/team").get_data(as_text=True)
    assert "Vikar: Vikar Vera" in board
    assert "1 af 8 borgere" in board and "0 af 8 borgere" in board


def test_fidelity_csv_has_no_names_and_is_audited(make, login_as):
    from server.audit.models import AuditEvent

    team = make.team()
    boss = make.supervisor(team=team)
    c = make.citizen(team=team, first_name="Navnløs")
    response = login_as(boss).get("/team/fidelity.csv")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Navnløs" not in text and "Testsen" not in text
    assert f"one_primary_worker;;;;{c.id};NT" in text
    assert db.session.query(AuditEvent).filter_by(action="export").count() == 1
