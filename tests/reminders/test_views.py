"""Reminders for the worker: list, new (once per UUID), done, snooze; ownership and access."""
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from server.db import utcnow
from server.extensions import db
from server.reminders.models import Reminder, ReminderSource

JSON = {"Accept": "application/json"}


def reminder_form(**overrides):
    data = {"client_id": str(uuid.uuid4()), "recorded_at": utcnow().isoformat(), "text": "Ring til lægen",
            "citizen_id": "", "due_date": "2026-06-01", "due_time": "10:30"}
    data.update(overrides)
    return data


def count_reminders():
    return db.session.scalar(select(func.count()).select_from(Reminder))


def make_reminder(owner, citizen=None, due_at=None, text="Husk huslejen", **kw):
    now = utcnow()
    reminder = Reminder(owner_id=owner.id, citizen_id=citizen.id if citizen else None, text=text,
                        due_at=due_at or now, client_id=uuid.uuid4(), recorded_at=now, **kw)
    db.session.add(reminder)
    db.session.commit()
    return reminder


def test_worker_adds_a_reminder_about_a_citizen_and_the_due_time_is_stored_in_utc(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    client = login_as(worker)
    response = client.post("/reminders", data=reminder_form(citizen_id=str(citizen.id)))
    assert response.status_code == 302
    reminder = db.session.scalar(select(Reminder))
    assert reminder.citizen_id == citizen.id and reminder.owner_id == worker.id
    # 10:30 Copenhagen summer time is 08:30 UTC.
    assert reminder.due_at.isoformat() == "2026-06-01T08:30:00+00:00"
    assert reminder.source == ReminderSource.MANUAL


def test_new_reminder_page_shows_the_outbox_form_with_the_citizen(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, first_name="Søren")
    page = login_as(worker).get(f"/reminders/new?citizen_id={citizen.id}").get_data(as_text=True)
    assert 'data-outbox="reminder"' in page and "data-client-id" in page and "data-recorded-at" in page
    assert "Søren" in page


def test_the_same_uuid_twice_stores_one_reminder(make, login_as):
    worker = make.worker(team=make.team())
    client = login_as(worker)
    data = reminder_form()
    first = client.post("/reminders", data=data, headers=JSON)
    second = client.post("/reminders", data=data, headers=JSON)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json["id"] == second.json["id"]
    assert count_reminders() == 1


def test_the_same_uuid_with_other_content_is_a_conflict(make, login_as):
    worker = make.worker(team=make.team())
    client = login_as(worker)
    data = reminder_form()
    client.post("/reminders", data=data, headers=JSON)
    response = client.post("/reminders", data={**data, "text": "Noget andet"}, headers=JSON)
    assert response.status_code == 409
    assert db.session.scalar(select(Reminder.text)) == "Ring til lægen"


def test_invalid_reminder_answers_422_json_naming_the_fields_and_saves_nothing(make, login_as):
    worker = make.worker(team=make.team())
    client = login_as(worker)
    response = client.post("/reminders", data=reminder_form(text="", due_date="31-02-2026", due_time="25:99"),
                           headers=JSON)
    assert response.status_code == 422
    assert set(response.json["errors"]) >= {"text", "due_date", "due_time"}
    assert count_reminders() == 0


def test_invalid_reminder_form_shows_danish_messages_next_to_the_fields(make, login_as):
    worker = make.worker(team=make.team())
    response = login_as(worker).post("/reminders", data=reminder_form(text="", due_date="x"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Skriv, hvad påmindelsen handler om." in page and "Skriv datoen som åååå-mm-dd." in page


def test_a_junk_citizen_id_is_a_field_error_not_a_500(make, login_as):
    worker = make.worker(team=make.team())
    response = login_as(worker).post("/reminders", data=reminder_form(citizen_id="abc"), headers=JSON)
    assert response.status_code == 422 and "citizen_id" in response.json["errors"]


def test_worker_cannot_add_a_reminder_about_a_citizen_outside_their_caseload(make, login_as):
    team = make.team()
    worker, other = make.worker(team=team), make.worker(team=team)
    foreign = make.citizen(worker=other)
    client = login_as(worker)
    assert client.get(f"/reminders/new?citizen_id={foreign.id}").status_code == 404
    assert client.post("/reminders", data=reminder_form(citizen_id=str(foreign.id))).status_code == 404
    assert count_reminders() == 0


def test_list_shows_due_first_then_upcoming_and_hides_done(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, first_name="Karin")
    now = utcnow()
    make_reminder(worker, due_at=now + timedelta(days=2), text="Senere ting")
    make_reminder(worker, citizen, due_at=now - timedelta(days=1), text="Overskredet ting")
    make_reminder(worker, due_at=now - timedelta(hours=1), text="Klaret ting", done_at=now)
    page = login_as(worker).get("/reminders").get_data(as_text=True)
    assert page.index("Overskredet ting") < page.index("Senere ting")
    assert "Klaret ting" not in page
    assert "Karin" in page


def test_list_shows_only_my_own_reminders(make, login_as):
    team = make.team()
    worker, other = make.worker(team=team), make.worker(team=team)
    make_reminder(other, text="Kollegas hemmelighed")
    page = login_as(worker).get("/reminders").get_data(as_text=True)
    assert "Kollegas hemmelighed" not in page


def test_list_hides_reminders_about_a_citizen_no_longer_in_my_caseload(make, login_as):
    team = make.team()
    worker, other = make.worker(team=team), make.worker(team=team)
    citizen = make.citizen(worker=other, first_name="Flyttet")
    make_reminder(worker, citizen, text="Gammel påmindelse")
    page = login_as(worker).get("/reminders").get_data(as_text=True)
    assert "Gammel påmindelse" not in page and "Flyttet" not in page


def test_done_twice_is_still_done_and_answers_200(make, login_as):
    worker = make.worker(team=make.team())
    reminder = make_reminder(worker)
    client = login_as(worker)
    first = client.post(f"/reminders/{reminder.id}/done", headers=JSON)
    db.session.expire_all()
    done_at = db.session.get(Reminder, reminder.id).done_at
    second = client.post(f"/reminders/{reminder.id}/done", headers=JSON)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json["status"], second.json["status"]) == ("stored", "duplicate")
    db.session.expire_all()
    assert db.session.get(Reminder, reminder.id).done_at == done_at is not None


def test_done_from_a_form_redirects_back_to_the_list(make, login_as):
    worker = make.worker(team=make.team())
    reminder = make_reminder(worker)
    response = login_as(worker).post(f"/reminders/{reminder.id}/done")
    assert response.status_code == 302 and response.headers["Location"].endswith("/reminders")


def test_another_worker_gets_404_for_my_reminder(make, login_as):
    team = make.team()
    worker, other = make.worker(team=team), make.worker(team=team)
    reminder = make_reminder(worker)
    client = login_as(other)
    assert client.post(f"/reminders/{reminder.id}/done").status_code == 404
    assert client.post(f"/reminders/{reminder.id}/snooze", data={"preset": "hour"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Reminder, reminder.id).done_at is None


def test_my_reminder_about_a_citizen_i_lost_access_to_is_404(make, login_as):
    team = make.team()
    worker, other = make.worker(team=team), make.worker(team=team)
    citizen = make.citizen(worker=other)
    reminder = make_reminder(worker, citizen)
    assert login_as(worker).post(f"/reminders/{reminder.id}/done").status_code == 404


def test_supervisor_and_citizen_cannot_use_the_worker_reminder_pages(make, login_as):
    team = make.team()
    supervisor = make.supervisor(team=team)
    citizen = make.citizen(team=team, with_login=True)
    assert login_as(supervisor).get("/reminders").status_code == 403
    assert login_as(citizen.user).get("/reminders/new").status_code == 403


def test_snooze_moves_the_reminder_and_it_will_be_pushed_again(make, login_as):
    worker = make.worker(team=make.team())
    reminder = make_reminder(worker, due_at=utcnow() - timedelta(minutes=5), pushed_at=utcnow())
    before = utcnow()
    response = login_as(worker).post(f"/reminders/{reminder.id}/snooze", data={"preset": "hour"}, headers=JSON)
    assert response.status_code == 200
    db.session.expire_all()
    snoozed = db.session.get(Reminder, reminder.id)
    assert before + timedelta(minutes=59) < snoozed.due_at < utcnow() + timedelta(minutes=61)
    assert snoozed.pushed_at is None


def test_snooze_with_an_unknown_preset_is_refused(make, login_as):
    worker = make.worker(team=make.team())
    reminder = make_reminder(worker)
    response = login_as(worker).post(f"/reminders/{reminder.id}/snooze", data={"preset": "forever"}, headers=JSON)
    assert response.status_code == 422 and "preset" in response.json["errors"]


def test_ids_beyond_the_integer_range_are_404_or_a_field_error(make, login_as):
    worker = make.worker(team=make.team())
    client = login_as(worker)
    huge = 2**40
    assert client.post(f"/reminders/{huge}/done").status_code == 404
    assert client.get(f"/reminders/new?citizen_id={huge}").status_code == 200
    response = client.post("/reminders", data=reminder_form(citizen_id=str(huge)), headers=JSON)
    assert response.status_code == 422 and "citizen_id" in response.json["errors"]


def test_the_citizen_choice_lists_only_my_own_citizens(make, login_as):
    team = make.team()
    worker, other = make.worker(team=team), make.worker(team=team)
    make.citizen(worker=worker, first_name="Minborger")
    make.citizen(worker=other, first_name="Fremmedborger")
    page = login_as(worker).get("/reminders/new").get_data(as_text=True)
    assert "Minborger" in page and "Fremmedborger" not in page


def test_snooze_from_a_page_with_a_bad_hidden_time_says_what_was_wrong(make, login_as):
    """A form post (no script) whose outbox time is unreadable: the 422 page names the problem,
    not the generic "some fields need correcting" (found by the bad-input fuzzing, SECURITY #12)."""
    worker = make.worker(team=make.team())
    reminder = make_reminder(worker)
    response = login_as(worker).post(f"/reminders/{reminder.id}/snooze",
                                     data={"preset": "hour", "recorded_at": "-114047597"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ugyldigt tidspunkt for registreringen." in html and "Nogle felter skal rettes." not in html
