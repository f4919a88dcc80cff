"""The team board: caseloads against the cap, contact intensity, flags, and a fixed query count."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from server.audit.models import AuditEvent
from server.citizens.models import Assignment, CourseStatus
from server.db import utcnow
from server.extensions import db
from server.teams import queries
from tests.teams import builders as b


def limits(app):
    cfg = app.config
    return queries.Limits(now=utcnow(), cap=cfg["CASELOAD_CAP"], not_reached_days=cfg["NOT_REACHED_DAYS"],
                          review_months=cfg["PLAN_REVIEW_MONTHS"])


def board_rows(app, team, **kw):
    return {r.id: r for r in queries.board(team.id, limits(app), **kw)}


def test_board_shows_each_workers_caseload_against_the_cap_and_flags_over_cap(make, login_as):
    team = make.team()
    boss = make.supervisor(team=team)
    busy = make.worker(team=team, name="Birte Travl")
    calm = make.worker(team=team, name="Carl Rolig")
    for _ in range(9):
        make.citizen(worker=busy)
    make.citizen(worker=calm)
    html = login_as(boss).get("/team").get_data(as_text=True)
    assert "9 af 8 borgere" in html
    assert "1 af 8 borgere" in html
    assert html.count("Over loftet") == 1
    assert f'data-worker="{busy.id}"' in html.split("over-cap")[1][:40]


def test_board_warns_when_two_of_a_workers_citizens_are_moving_in(make, login_as):
    team = make.team()
    boss = make.supervisor(team=team)
    w = make.worker(team=team)
    one, two = make.citizen(worker=w), make.citizen(worker=w)
    b.moving_in(one)
    html = login_as(boss).get("/team").get_data(as_text=True)
    assert "flytter ind samtidig" not in html
    b.moving_in(two)
    html = login_as(boss).get("/team").get_data(as_text=True)
    assert "2 flytter ind samtidig" in html
    assert f"worker={w.id}" in html and "flag=moving_in" in html


def test_strip_counts_successful_contacts_per_week_and_attempts_apart(app, make):
    team = make.team()
    w = make.worker(team=team)
    c = make.citizen(worker=w)
    lim = limits(app)
    this_week = lim.weeks_start + timedelta(weeks=11, hours=12)
    b.contact(c, w, at=min(this_week, lim.now))  # lim.now: the strip counts up to the moment it was asked
    b.contact(c, w, at=lim.weeks_start + timedelta(hours=12))
    b.contact(c, w, at=lim.weeks_start + timedelta(hours=13))
    b.contact(c, w, at=lim.weeks_start + timedelta(days=8), reached=False)
    b.contact(c, w, at=lim.weeks_start - timedelta(days=1))  # before the strip: not counted
    row = {r.id: r for r in queries.board(team.id, lim, columns=("id", "strip"))}[c.id]
    reached, missed = queries.strip_counts(row.strip)
    assert reached == [2] + [0] * 10 + [1]
    assert missed == [0, 1] + [0] * 10


def test_strip_weeks_run_monday_to_monday_on_the_local_clock_across_a_daylight_saving_change(app, make):
    # Summer time ended on Sunday 25 October 2026: that week is 169 hours long. A visit late on
    # that Sunday evening belongs to the week it happened in on the wall clock, not the next.
    team = make.team()
    w = make.worker(team=team)
    c = make.citizen(worker=w)
    lim = queries.Limits(now=datetime(2026, 11, 4, 12, tzinfo=UTC), cap=8, not_reached_days=14, review_months=3)
    assert lim.weeks_start == datetime(2026, 8, 16, 22, tzinfo=UTC)  # Monday 17 August, 00:00 summer time
    b.contact(c, w, at=datetime(2026, 10, 25, 22, 30, tzinfo=UTC))  # Sunday 25 October, 23:30 local
    b.contact(c, w, at=datetime(2026, 10, 25, 23, 0, tzinfo=UTC), reached=False)  # Monday 26 October, 00:00
    row = {r.id: r for r in queries.board(team.id, lim, columns=("id", "strip"))}[c.id]
    reached, missed = queries.strip_counts(row.strip)
    assert reached == [0] * 9 + [1, 0, 0]
    assert missed == [0] * 10 + [1, 0]


def test_team_caseloads_count_open_assignments_of_active_citizens_only(make):
    team, other_team = make.team(name="Team Nord"), make.team()
    anna = make.worker(team=team, name="Anna Aktiv")
    bo = make.worker(team=team, name="Bo Begge")
    make.worker(team=team, name="Gone Gunnar", active=False)
    make.supervisor(team=team)
    make.worker(team=other_team)
    make.citizen(worker=anna)
    b.moving_in(make.citizen(worker=anna))
    over = make.citizen(worker=anna)
    db.session.get(Assignment, db.session.scalar(select(Assignment.id).where(Assignment.citizen_id == over.id))) \
        .cap_override_reason = "Aftalt på teammødet"
    ended = make.citizen(worker=anna)  # course ended, assignment never closed: not in the caseload
    b.moving_in(ended)
    ended.status = CourseStatus.ENDED
    moved_on = make.citizen(worker=bo)  # was Anna's until last month
    db.session.add(Assignment(citizen_id=moved_on.id, worker_id=anna.id, starts_at=utcnow() - timedelta(days=200),
                              ends_at=utcnow() - timedelta(days=30)))
    db.session.commit()

    name, workers = queries.team_caseloads(team.id)
    assert name == "Team Nord"
    assert [(w.name, w.caseload, w.moving_in, w.overrides) for w in workers] == [
        ("Anna Aktiv", 3, 1, 1), ("Bo Begge", 1, 0, 0)]
    assert queries.team_caseloads(make.team(name="Tomt team").id) == ("Tomt team", [])
    assert queries.team_caseloads(10**6) == (None, [])


def test_citizen_figures_days_since_contact_review_unassessed_and_asked(app, make):
    team = make.team()
    w = make.worker(team=team)
    fresh = make.citizen(worker=w, first_name="Frisk")
    silent = make.citizen(worker=w, first_name="Stille")
    only_tries = make.citizen(worker=w, first_name="Forsøg")
    asked = make.citizen(worker=w, first_name="Spørger", asked_for_contact_at=utcnow() - timedelta(days=2))
    b.contact(fresh, w, days_ago=1)
    b.contact(silent, w, days_ago=30)
    b.contact(only_tries, w, days_ago=1, reached=False)
    b.contact(asked, w, days_ago=5)  # before the request: still asking
    b.plan(fresh, w, review_on=b.days(-30))
    b.plan(silent, w, review_on=b.days(1))  # review date passed
    b.plan(asked, w, review_on=None, created_at=utcnow() - timedelta(days=120))  # old version
    b.assess(fresh, w, *b.ALL_KEYS)
    b.assess(silent, w, "housing", "economy")
    rows = board_rows(app, team)
    assert rows[fresh.id].not_reached == 0 and rows[fresh.id].review_overdue == 0
    assert rows[fresh.id].unassessed == 0
    assert rows[silent.id].not_reached == 1 and rows[silent.id].review_overdue == 1
    assert rows[silent.id].unassessed == 6
    assert rows[only_tries.id].not_reached == 1 and rows[only_tries.id].last_contact_at is None
    assert rows[only_tries.id].review_overdue == 1  # no plan at all
    assert rows[asked.id].asked_for_contact == 1 and rows[asked.id].review_overdue == 1
    assert rows[fresh.id].asked_for_contact == 0
    b.contact(asked, w, days_ago=0)
    assert board_rows(app, team)[asked.id].asked_for_contact == 0


def test_latest_plan_version_and_current_substitute_decide_the_row(app, make):
    team = make.team()
    w, boss = make.worker(team=team), make.supervisor(team=team)
    first, second = make.worker(team=team, name="Første Vikar"), make.worker(team=team, name="Anden Vikar")
    renewed = make.citizen(worker=w, first_name="Fornyet")
    lapsed = make.citizen(worker=w, first_name="Udløbet")
    b.plan(renewed, w, version=1, review_on=b.days(1))  # an old version's passed review does not count
    b.plan(renewed, w, version=2, review_on=b.days(-30))
    b.plan(lapsed, w, version=1, review_on=b.days(-30))
    b.plan(lapsed, w, version=2, review_on=b.days(1))
    now = utcnow()
    make.substitution(renewed, first, boss, ends_at=now + timedelta(days=3))
    make.substitution(renewed, second, boss, ends_at=now + timedelta(days=9))  # ends last: shown
    make.substitution(lapsed, first, boss, starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=2))
    rows = board_rows(app, team)
    assert rows[renewed.id].review_overdue == 0 and rows[lapsed.id].review_overdue == 1
    assert rows[renewed.id].substitute_id == second.id
    assert rows[lapsed.id].substitute_id is None  # that substitution has ended


def test_team_custom_dimensions_count_as_not_assessed(app, make):
    from server.citizens.models import Dimension

    team = make.team()
    w = make.worker(team=team)
    c = make.citizen(worker=w)
    make.save(Dimension(name="Husdyr", team_id=team.id))
    make.save(Dimension(name="Andet team", team_id=make.team().id))
    b.assess(c, w, *b.ALL_KEYS)
    assert board_rows(app, team)[c.id].unassessed == 1


def test_board_filters_and_sorts_and_every_figure_links(make, login_as):
    team = make.team()
    boss = make.supervisor(team=team)
    w = make.worker(team=team)
    seen = make.citizen(worker=w, first_name="Set")
    unseen = make.citizen(worker=w, first_name="Usete")
    b.contact(seen, w, days_ago=1)
    client = login_as(boss)
    html = client.get("/team?flag=not_reached").get_data(as_text=True)
    assert "Usete" in html and "Set Testsen" not in html
    html = client.get("/team?sort=name").get_data(as_text=True)
    assert html.index("Set Testsen") < html.index("Usete")
    html = client.get("/team?sort=last_contact").get_data(as_text=True)
    assert html.index("Usete") < html.index("Set Testsen")  # never reached first
    assert 'hx-get="/team?flag=not_reached"' in html and 'href="/team?flag=not_reached"' in html
    partial = client.get("/team?worker=%d" % w.id, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert partial.lstrip().startswith('<div id="board"') and "<html" not in partial
    assert 'hx-target="#board"' in partial  # inherited by every sort/filter link inside
    assert f"/citizens/{unseen.id}" in html or f"/team/citizens/{unseen.id}" in html


def test_board_shows_only_the_supervisors_own_team_and_is_audited(make, login_as):
    team, other = make.team(), make.team()
    boss = make.supervisor(team=team)
    make.citizen(worker=make.worker(team=team), first_name="Egen")
    make.citizen(worker=make.worker(team=other), first_name="Fremmed")
    html = login_as(boss).get("/team").get_data(as_text=True)
    assert "Egen" in html and "Fremmed" not in html
    assert db.session.query(AuditEvent).filter_by(action="list", user_id=boss.id).count() == 1


def test_board_is_for_supervisors_only(make, login_as):
    team = make.team()
    assert login_as(make.worker(team=team)).get("/team").status_code == 403
    assert login_as(make.admin()).get("/team").status_code == 403


def build_team(make, citizens: int):
    team = make.team()
    boss = make.supervisor(team=team)
    workers = [make.worker(team=team) for _ in range(3)]
    for i in range(citizens):
        w = workers[i % 3]
        c = make.citizen(worker=w)
        b.contact(c, w, days_ago=30 if i % 2 else 1)  # some not reached: the filter matches
        b.contact(c, w, days_ago=3, reached=False)
        b.plan(c, w, review_on=b.days(-10))
        b.assess(c, w, "housing")
        b.housing(c, w, "street", b.days(100))
        if i % 4 == 0:
            b.moving_in(c)
    return boss


def count_statements(app, client, url):
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", ["/team", "/team?sort=name&flag=not_reached", "/team/fidelity", "/team/outcomes",
                                 "/team/report", "/team/fidelity.csv", "/team/outcomes.csv"])
def test_query_count_does_not_grow_with_the_number_of_citizens(app, make, login_as, url):
    small = count_statements(app, login_as(build_team(make, 3)), url)
    large = count_statements(app, login_as(build_team(make, 30)), url)
    assert small == large
    assert small <= 14  # a fixed, small number: session, user, the page's statements, audit


def test_flag_counts_stay_team_wide_when_a_filter_matches_nobody(make, login_as):
    team = make.team()
    boss = make.supervisor(team=team)
    w = make.worker(team=team)
    b.contact(make.citizen(worker=w), w, days_ago=1)
    make.citizen(worker=w)  # never reached
    html = login_as(boss).get("/team?flag=asked_for_contact").get_data(as_text=True)
    assert "Ingen borgere matcher." in html
    assert "(0 af 2)" in html
    html = login_as(boss).get("/team?flag=not_reached").get_data(as_text=True)
    assert "(1 af 2)" in html


def test_board_rows_escape_every_name(make, login_as):
    team = make.team()
    boss = make.supervisor(team=team)
    w = make.worker(team=team, name='Ole "<b>" Worker')
    make.citizen(worker=w, first_name="<script>alert(1)</script>", last_name="O'Neil & Co")
    client = login_as(boss)
    html = client.get("/team").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Neil &amp; Co" in html
    assert "<b>" not in html and "Medarbejdere" in html and "Forløb" in html
