"""Every kind the outbox queues answers its replays the same way: stored once, then duplicate."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.appointments.models import Appointment
from server.contacts.models import Contact
from server.db import utcnow
from server.extensions import db
from server.reminders.models import Reminder

JSON = {"Accept": "application/json"}


def count(model, **where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def entry(**fields):
    return {"client_id": str(uuid.uuid4()), "recorded_at": (utcnow() - timedelta(hours=3)).isoformat()} | fields


@pytest.fixture
def setting(make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    return worker, citizen, tomorrow


def kinds(worker, citizen, tomorrow, make):
    """(kind, url, body, how many rows of what must exist afterwards)."""
    reminder = make.reminder(worker, citizen=citizen)
    appointment = make.appointment(citizen, worker, starts_at=utcnow() - timedelta(hours=2))
    return [
        ("contact", f"/citizens/{citizen.id}/contacts",
         entry(type="home_visit", place="home", note="Besøg", occurred_at="2026-03-02T09:30"),
         lambda: count(Contact, citizen_id=citizen.id, reached=True) == 1),
        ("attempt", f"/citizens/{citizen.id}/attempts", entry(place="street"),
         lambda: count(Contact, citizen_id=citizen.id, reached=False) == 1),
        ("reminder", "/reminders",
         entry(text="Ring til udlejer", citizen_id=str(citizen.id), due_date=tomorrow, due_time="09:00"),
         lambda: count(Reminder, citizen_id=citizen.id, text="Ring til udlejer") == 1),
        ("appointment", f"/citizens/{citizen.id}/appointments",
         entry(counterpart="jobcenter", title="Samtale", date=tomorrow, starts="10:00", accompanied="y"),
         lambda: count(Appointment, citizen_id=citizen.id, title="Samtale", accompanied=True) == 1),
        ("reminder_done", f"/reminders/{reminder.id}/done", entry(),
         lambda: db.session.get(Reminder, reminder.id).done_at is not None),
        ("appointment_outcome", f"/appointments/{appointment.id}/outcome",
         entry(attended="yes", outcome="Godt møde", follow_up="Send papirer", make_reminder="y",
               reminder_date=tomorrow, reminder_time="09:00"),
         lambda: count(Reminder, citizen_id=citizen.id, text="Send papirer") == 1),
    ]


KINDS = ["contact", "attempt", "reminder", "appointment", "reminder_done", "appointment_outcome"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_outbox_kind_replayed_three_times_is_stored_once(login_as, make, setting, kind):
    worker, citizen, tomorrow = setting
    _, url, body, check = next(k for k in kinds(worker, citizen, tomorrow, make) if k[0] == kind)
    client = login_as(worker)
    answers = [client.post(url, data=body, headers=JSON) for _ in range(3)]
    assert answers[0].status_code in (200, 201), answers[0].get_data(as_text=True)
    assert answers[0].get_json()["status"] == "stored"
    assert answers[0].get_json()["redirect"].startswith("/")
    for again in answers[1:]:
        assert again.status_code in (200, 201)
        assert again.get_json()["status"] in ("duplicate", "stored")
    assert check()


@pytest.mark.parametrize("kind", ["contact", "reminder", "appointment", "appointment_outcome"])
def test_every_outbox_kind_answers_422_json_with_field_errors(login_as, make, setting, kind):
    worker, citizen, tomorrow = setting
    _, url, body, _ = next(k for k in kinds(worker, citizen, tomorrow, make) if k[0] == kind)
    broken = {name: ("x" * 6000 if name in ("note", "text", "title", "outcome") else value)
              for name, value in body.items()}
    if kind == "appointment_outcome":
        broken["attended"] = "maybe"
    response = login_as(worker).post(url, data=broken, headers=JSON)
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "invalid" and body["errors"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_outbox_kind_answers_401_json_to_a_replay_without_session(client, make, setting, kind):
    worker, citizen, tomorrow = setting
    _, url, body, _ = next(k for k in kinds(worker, citizen, tomorrow, make) if k[0] == kind)
    response = client.post(url, data=body, headers=JSON)
    assert response.status_code == 401 and response.is_json
