"""Team meetings: the agenda from new and flagged citizens, decisions turned into reminders."""
from datetime import date, timedelta

from server.db import utcnow
from server.extensions import db
from server.reminders.models import Reminder, ReminderSource
from server.teams.models import AgendaItem, SupervisionSession, TeamMeeting
from tests.teams import builders as b


def setup_team(make):
    team = make.team(meeting_cadence_days=7)
    boss = make.supervisor(team=team)
    w = make.worker(team=team)
    c = {
        "new": make.citizen(worker=w, first_name="Ny", started_on=b.days(3)),
        "calm": make.citizen(worker=w, first_name="Rolig"),
        "silent": make.citizen(worker=w, first_name="Stille"),
        "risk": make.citizen(worker=w, first_name="Udsat"),
        "asked": make.citizen(worker=w, first_name="Spørger", asked_for_contact_at=utcnow()),
    }
    for key in ("new", "calm", "risk", "asked"):
        b.contact(c[key], w, days_ago=1 if key != "asked" else 2)
        b.plan(c[key], w, review_on=b.days(-30))
    b.plan(c["silent"], w, review_on=b.days(-30))
    b.housing(c["risk"], w, "at_risk", b.days(10))
    return team, boss, w, c


def test_new_meeting_builds_an_agenda_from_new_and_flagged_citizens(make, login_as):
    team, boss, w, c = setup_team(make)
    client = login_as(boss)
    response = client.post("/team/meetings")
    assert response.status_code == 303
    meeting = db.session.query(TeamMeeting).one()
    items = {i.citizen_id: i for i in db.session.query(AgendaItem).filter_by(meeting_id=meeting.id)}
    assert set(items) == {c["new"].id, c["silent"].id, c["risk"].id, c["asked"].id}
    assert items[c["new"].id].reason == "new"
    assert items[c["silent"].id].reason == "not_reached"
    assert items[c["risk"].id].reason == "eviction_risk"
    assert items[c["asked"].id].reason == "asked_for_contact"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Risiko for udsættelse" in html and "Har bedt om kontakt" in html and "Rolig" not in html


def test_a_decision_becomes_a_reminder_for_the_primary_worker(make, login_as):
    team, boss, w, c = setup_team(make)
    client = login_as(boss)
    client.post("/team/meetings")
    meeting = db.session.query(TeamMeeting).one()
    item = db.session.query(AgendaItem).filter_by(citizen_id=c["silent"].id).one()
    due = date.today() + timedelta(days=3)
    response = client.post(f"/team/meetings/{meeting.id}/items/{item.id}", data={
        f"item{item.id}-discussion": "Ikke set i en måned", f"item{item.id}-decision": "Opsøg på herberget",
        f"item{item.id}-make_reminder": "y", f"item{item.id}-reminder_due": due.isoformat()})
    assert response.status_code == 303
    reminder = db.session.query(Reminder).one()
    assert reminder.owner_id == w.id and reminder.citizen_id == c["silent"].id
    assert reminder.source == ReminderSource.TEAM_DECISION and reminder.text == "Opsøg på herberget"
    assert reminder.due_at.date() == due
    db.session.expire_all()
    item = db.session.get(AgendaItem, item.id)
    assert item.decision == "Opsøg på herberget" and item.reminder_id == reminder.id
    html = client.get(f"/team/meetings/{meeting.id}").get_data(as_text=True)
    assert "Påmindelse til medarbejderen" in html


def test_an_item_with_its_reminder_takes_new_notes_and_ignores_reminder_fields(make, login_as):
    """The page shows no reminder fields once the item has its reminder; a post that sends them
    anyway (a past date here) saves the notes and makes no second reminder, rather than a 422
    whose error sits on a field the page does not show (found by the bad-input fuzzing)."""
    team, boss, w, c = setup_team(make)
    client = login_as(boss)
    client.post("/team/meetings")
    meeting = db.session.query(TeamMeeting).one()
    item = db.session.query(AgendaItem).filter_by(citizen_id=c["silent"].id).one()
    url, p = f"/team/meetings/{meeting.id}/items/{item.id}", f"item{item.id}-"
    first = client.post(url, data={p + "decision": "Opsøg på herberget", p + "make_reminder": "y",
                                   p + "reminder_due": (date.today() + timedelta(days=3)).isoformat()})
    assert first.status_code == 303
    again = client.post(url, data={p + "discussion": "Set i går", p + "decision": "Fortsæt",
                                   p + "make_reminder": "y", p + "reminder_due": "1366-12-26"})
    assert again.status_code == 303
    db.session.expire_all()
    assert db.session.query(Reminder).count() == 1
    assert db.session.get(AgendaItem, item.id).discussion == "Set i går"
    assert "make_reminder" not in client.get(f"/team/meetings/{meeting.id}").get_data(as_text=True).split(
        f'id="item-{item.id}"')[1].split("</section>")[0]


def test_a_reminder_without_decision_or_date_is_422_and_saves_nothing(make, login_as):
    team, boss, w, c = setup_team(make)
    client = login_as(boss)
    client.post("/team/meetings")
    meeting = db.session.query(TeamMeeting).one()
    item = db.session.query(AgendaItem).first()
    for data in ({"make_reminder": "y", "decision": "Gør noget"}, {"make_reminder": "y", "reminder_due": "2099-01-01"},
                 {"make_reminder": "y", "decision": "x", "reminder_due": "2000-01-01"},
                 {"decision": "x" * 3000}):
        response = client.post(f"/team/meetings/{meeting.id}/items/{item.id}",
                               data={f"item{item.id}-{k}": v for k, v in data.items()})
        assert response.status_code == 422
        assert 'class="error"' in response.get_data(as_text=True)
    assert db.session.query(Reminder).count() == 0
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).decision is None


def test_a_citizen_without_a_primary_worker_cannot_get_a_reminder(make, login_as):
    team = make.team()
    boss = make.supervisor(team=team)
    orphan = make.citizen(team=team, started_on=b.days(1))
    client = login_as(boss)
    client.post("/team/meetings")
    meeting = db.session.query(TeamMeeting).one()
    item = db.session.query(AgendaItem).filter_by(citizen_id=orphan.id).one()
    response = client.post(f"/team/meetings/{meeting.id}/items/{item.id}", data={
        f"item{item.id}-decision": "Find medarbejder", f"item{item.id}-make_reminder": "y",
        f"item{item.id}-reminder_due": date.today().isoformat()})
    assert response.status_code == 422
    assert "ingen gennemgående medarbejder" in response.get_data(as_text=True)
    assert db.session.query(Reminder).count() == 0


def test_another_teams_meeting_is_404(make, login_as):
    team, boss, w, c = setup_team(make)
    login_as(boss).post("/team/meetings")
    meeting = db.session.query(TeamMeeting).one()
    item = db.session.query(AgendaItem).first()
    stranger = login_as(make.supervisor(team=make.team()))
    assert stranger.get(f"/team/meetings/{meeting.id}").status_code == 404
    assert stranger.post(f"/team/meetings/{meeting.id}/items/{item.id}", data={}).status_code == 404
    assert login_as(w).get("/team/meetings").status_code == 403


def test_supervision_log_records_sessions_and_rejects_bad_input(make, login_as):
    team = make.team()
    boss = make.supervisor(team=team)
    client = login_as(boss)
    response = client.post("/team/supervision", data={"held_on": b.days(2).isoformat(), "kind": "external",
                                                     "supervisor_name": "Psykolog Hansen", "notes": "Om Stille"})
    assert response.status_code == 303
    for data in ({"held_on": "", "kind": "external"}, {"held_on": b.days(1).isoformat(), "kind": "magic"},
                 {"held_on": b.days(-5).isoformat(), "kind": "internal"}):
        response = client.post("/team/supervision", data=data)
        assert response.status_code == 422
    assert db.session.query(SupervisionSession).count() == 1
    html = client.get("/team/supervision").get_data(as_text=True)
    assert "Psykolog Hansen" in html and html.count("data-session") == 1
