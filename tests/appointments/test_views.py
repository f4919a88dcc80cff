"""Appointments and accompaniments: create once per UUID, show, outcome with follow-up, cancel, list."""
import re
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from server.appointments.models import Appointment
from server.db import utcnow
from server.extensions import db
from server.reminders.models import Reminder, ReminderSource

JSON = {"Accept": "application/json"}


def appointment_form(**overrides):
    data = {"client_id": str(uuid.uuid4()), "recorded_at": utcnow().isoformat(), "counterpart": "jobcenter",
            "title": "Samtale om ydelse", "date": "2026-12-01", "starts": "10:00", "ends": "11:00",
            "location": "Jobcenter Søby, Torvet 1", "meeting_point": "Ved kiosken", "accompanied": "y",
            "note": "Intern note: borgeren er nervøs"}
    data.update(overrides)
    return data


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_worker_records_an_accompaniment_stored_in_utc(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    response = login_as(worker).post(f"/citizens/{citizen.id}/appointments", data=appointment_form())
    assert response.status_code == 302
    appointment = db.session.scalar(select(Appointment))
    assert response.headers["Location"].endswith(f"/appointments/{appointment.id}")
    # 10:00 Copenhagen in December (CET, +1) is 09:00 UTC.
    assert appointment.starts_at.isoformat() == "2026-12-01T09:00:00+00:00"
    assert appointment.ends_at.isoformat() == "2026-12-01T10:00:00+00:00"
    assert appointment.accompanied and appointment.counterpart == "jobcenter"
    assert appointment.created_by_id == worker.id


def test_blank_title_takes_the_counterparts_name(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    login_as(worker).post(f"/citizens/{citizen.id}/appointments", data=appointment_form(title="", counterpart="bank"))
    assert db.session.scalar(select(Appointment.title)) == "Bank"


def test_new_accompaniment_page_has_the_switch_on_and_the_outbox_form(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    page = login_as(worker).get(f"/citizens/{citizen.id}/appointments/new?accompanied=1").get_data(as_text=True)
    assert 'data-outbox="appointment"' in page and 'role="switch"' in page
    assert re.search(r'role="switch"[^>]*checked', page)
    for label in ("Jobcenter", "Socialcenter", "Læge", "Psykiatri", "Misbrugsbehandling", "Bank", "Boligselskab", "Andet"):
        assert label in page


def test_the_same_appointment_uuid_twice_stores_one_row(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    client = login_as(worker)
    data = appointment_form()
    first = client.post(f"/citizens/{citizen.id}/appointments", data=data, headers=JSON)
    second = client.post(f"/citizens/{citizen.id}/appointments", data=data, headers=JSON)
    assert (first.status_code, second.status_code) == (201, 200)
    assert count(Appointment) == 1


def test_the_same_appointment_uuid_with_other_content_is_409(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    client = login_as(worker)
    data = appointment_form()
    client.post(f"/citizens/{citizen.id}/appointments", data=data, headers=JSON)
    response = client.post(f"/citizens/{citizen.id}/appointments", data={**data, "starts": "10:30"}, headers=JSON)
    assert response.status_code == 409 and count(Appointment) == 1


def test_a_uuid_replayed_against_another_citizen_is_a_conflict_not_a_leak(make, login_as):
    worker = make.worker(team=make.team())
    first, second = make.citizen(worker=worker), make.citizen(worker=worker)
    client = login_as(worker)
    data = appointment_form()
    client.post(f"/citizens/{first.id}/appointments", data=data, headers=JSON)
    response = client.post(f"/citizens/{second.id}/appointments", data=data, headers=JSON)
    assert response.status_code == 409 and response.json.get("id") is None
    assert count(Appointment) == 1


def test_invalid_appointment_answers_422_with_field_errors_and_saves_nothing(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    client = login_as(worker)
    response = client.post(f"/citizens/{citizen.id}/appointments", headers=JSON,
                           data=appointment_form(counterpart="spaceship", date="", starts="10:00", ends="09:00"))
    assert response.status_code == 422
    assert set(response.json["errors"]) >= {"counterpart", "date"}
    page = client.post(f"/citizens/{citizen.id}/appointments",
                       data=appointment_form(starts="10:00", ends="09:00")).get_data(as_text=True)
    assert "Sluttidspunktet skal ligge efter starttidspunktet." in page
    assert count(Appointment) == 0


def test_worker_cannot_make_an_appointment_for_a_citizen_outside_the_caseload(make, login_as):
    team = make.team()
    worker, other = make.worker(team=team), make.worker(team=team)
    foreign = make.citizen(worker=other)
    client = login_as(worker)
    assert client.get(f"/citizens/{foreign.id}/appointments/new").status_code == 404
    assert client.post(f"/citizens/{foreign.id}/appointments", data=appointment_form()).status_code == 404
    assert count(Appointment) == 0


def test_show_is_for_staff_who_may_see_the_citizen(make, login_as):
    team = make.team()
    worker, other, supervisor = make.worker(team=team), make.worker(team=team), make.supervisor(team=team)
    citizen = make.citizen(worker=worker)
    appointment = make.appointment(citizen, worker, note="Intern hemmelighed")
    assert "Intern hemmelighed" in login_as(worker).get(f"/appointments/{appointment.id}").get_data(as_text=True)
    assert login_as(supervisor).get(f"/appointments/{appointment.id}").status_code == 200
    assert login_as(other).get(f"/appointments/{appointment.id}").status_code == 404
    assert login_as(worker).get("/appointments/999999").status_code == 404


def test_outcome_with_a_follow_up_reminder_creates_the_reminder_in_the_same_request(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    appointment = make.appointment(citizen, worker, starts_at=utcnow() - timedelta(hours=2), accompanied=True)
    client = login_as(worker)
    form = client.get(f"/appointments/{appointment.id}/outcome").get_data(as_text=True)
    assert "Gør opfølgningen til en påmindelse" in form
    response = client.post(f"/appointments/{appointment.id}/outcome", data={
        "attended": "yes", "worker_was_present": "y", "outcome": "Fik bevilget indskudslån",
        "follow_up": "Send kopi af lejekontrakt", "make_reminder": "y",
        "reminder_date": "2026-07-03", "reminder_time": "08:15"})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Appointment, appointment.id)
    assert stored.attended and stored.worker_was_present and stored.outcome == "Fik bevilget indskudslån"
    reminder = db.session.scalar(select(Reminder))
    assert reminder.source == ReminderSource.FOLLOW_UP and reminder.text == "Send kopi af lejekontrakt"
    assert reminder.owner_id == worker.id and reminder.citizen_id == citizen.id
    assert reminder.due_at.isoformat() == "2026-07-03T06:15:00+00:00"


def test_recording_the_outcome_again_updates_the_one_follow_up_reminder(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    appointment = make.appointment(citizen, worker, starts_at=utcnow() - timedelta(hours=2))
    client = login_as(worker)
    data = {"attended": "yes", "follow_up": "Ring til boligselskabet", "make_reminder": "y",
            "reminder_date": "2026-07-03", "reminder_time": "09:00"}
    client.post(f"/appointments/{appointment.id}/outcome", data=data)
    client.post(f"/appointments/{appointment.id}/outcome", data={**data, "reminder_date": "2026-07-04"})
    reminders = db.session.scalars(select(Reminder)).all()
    assert len(reminders) == 1 and reminders[0].due_at.date().isoformat() == "2026-07-04"


def test_outcome_without_reminder_creates_none_and_bad_input_is_422(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    appointment = make.appointment(citizen, worker)
    client = login_as(worker)
    response = client.post(f"/appointments/{appointment.id}/outcome", data={"attended": "maybe", "make_reminder": "y"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Svar, om mødet blev holdt." in page and "Vælg en dato for påmindelsen." in page
    assert client.post(f"/appointments/{appointment.id}/outcome", data={"attended": "no"}).status_code == 302
    assert count(Reminder) == 0
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).attended is False


def test_supervisor_sees_but_cannot_record_an_outcome_or_cancel(make, login_as):
    team = make.team()
    worker, supervisor = make.worker(team=team), make.supervisor(team=team)
    appointment = make.appointment(make.citizen(worker=worker), worker)
    client = login_as(supervisor)
    assert client.post(f"/appointments/{appointment.id}/outcome", data={"attended": "yes"}).status_code == 403
    assert client.post(f"/appointments/{appointment.id}/cancel").status_code == 403


def test_cancel_marks_the_appointment_cancelled(make, login_as):
    worker = make.worker(team=make.team())
    appointment = make.appointment(make.citizen(worker=worker), worker)
    assert login_as(worker).post(f"/appointments/{appointment.id}/cancel").status_code == 302
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).cancelled


def test_citizen_list_shows_upcoming_and_past_with_outcomes(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    make.appointment(citizen, worker, title="Kommende lægetid", starts_at=utcnow() + timedelta(days=3))
    make.appointment(citizen, worker, title="Gammelt bankmøde", starts_at=utcnow() - timedelta(days=3),
                     attended=True, outcome="Budget lagt", outcome_recorded_at=utcnow())
    page = login_as(worker).get(f"/citizens/{citizen.id}/appointments").get_data(as_text=True)
    assert page.index("Kommende lægetid") < page.index("Tidligere") < page.index("Gammelt bankmøde")
    assert "Budget lagt" in page


def test_outcome_answers_the_outbox_in_json_and_a_replay_changes_nothing(make, login_as):
    worker = make.worker(team=make.team())
    appointment = make.appointment(make.citizen(worker=worker), worker)
    client = login_as(worker)
    data = {"client_id": str(uuid.uuid4()), "recorded_at": utcnow().isoformat(), "attended": "yes",
            "follow_up": "Ring til banken", "make_reminder": "y", "reminder_date": "2026-07-03"}
    first = client.post(f"/appointments/{appointment.id}/outcome", data=data, headers=JSON)
    second = client.post(f"/appointments/{appointment.id}/outcome", data=data, headers=JSON)
    assert (first.status_code, first.json["status"]) == (200, "stored")
    assert second.status_code == 200 and count(Reminder) == 1
    invalid = client.post(f"/appointments/{appointment.id}/outcome", data={"attended": ""}, headers=JSON)
    assert invalid.status_code == 422 and "attended" in invalid.json["errors"]


def test_appointment_ids_beyond_the_integer_range_are_404(make, login_as):
    worker = make.worker(team=make.team())
    client = login_as(worker)
    huge = 2**40
    for url in (f"/appointments/{huge}", f"/appointments/{huge}.ics", f"/citizens/{huge}/appointments"):
        assert client.get(url).status_code == 404
