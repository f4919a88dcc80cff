"""The citizen's answers and contact requests reach the primary worker as reminders."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from server.appointments.models import CitizenAnswer
from server.appointments.operations import record_citizen_answer
from server.extensions import db
from server.reminders.models import Reminder, ReminderSource
from server.reminders.operations import request_contact


def test_cannot_come_creates_a_reminder_for_the_primary_worker(make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, first_name="Jens", last_name="Hansen")
    appointment = make.appointment(citizen, worker, title="Lægetid",
                                   starts_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    reminder = record_citizen_answer(appointment, CitizenAnswer.CANNOT_COME, citizen)
    db.session.commit()
    assert appointment.citizen_answer == CitizenAnswer.CANNOT_COME and appointment.citizen_answered_at
    assert reminder.owner_id == worker.id and reminder.citizen_id == citizen.id
    assert reminder.source == ReminderSource.CITIZEN_ANSWER
    assert reminder.text == "Jens Hansen kan ikke komme til Lægetid 3. dec. kl. 10:00"


def test_coming_is_told_too_and_the_same_answer_twice_makes_one_reminder(make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, first_name="Jens", last_name="Hansen")
    appointment = make.appointment(citizen, worker, title="Bankmøde")
    assert "kommer til Bankmøde" in record_citizen_answer(appointment, CitizenAnswer.COMING, citizen).text
    assert record_citizen_answer(appointment, CitizenAnswer.COMING, citizen) is None
    db.session.commit()
    assert len(db.session.scalars(select(Reminder)).all()) == 1


def test_an_answer_to_another_citizens_appointment_is_refused(make):
    worker = make.worker(team=make.team())
    citizen, other = make.citizen(worker=worker), make.citizen(worker=worker)
    appointment = make.appointment(other, worker)
    with pytest.raises(ValueError):
        record_citizen_answer(appointment, CitizenAnswer.COMING, citizen)


def test_request_contact_reminds_the_primary_worker_once_while_open(make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, first_name="Mette", last_name="Juul")
    first = request_contact(citizen)
    second = request_contact(citizen)
    db.session.commit()
    assert first.id == second.id
    assert first.text == "Mette Juul vil gerne kontaktes" and first.source == ReminderSource.CITIZEN_REQUEST
    assert first.owner_id == worker.id and citizen.asked_for_contact_at is not None


def test_request_contact_without_a_primary_worker_only_records_the_time(make):
    citizen = make.citizen()
    assert request_contact(citizen) is None
    assert citizen.asked_for_contact_at is not None
