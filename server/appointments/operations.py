"""Writes for appointments: create (once per client UUID), outcome with its follow-up
reminder, cancel, and the citizen's own answer. Operations flush; the request commits."""
import uuid
from datetime import datetime

from flask_babel import format_datetime, gettext as _
from sqlalchemy import select

from server.appointments.models import Appointment, CitizenAnswer
from server.db import utcnow
from server.extensions import db
from server.reminders import operations as reminders
from server.reminders.models import Reminder, ReminderSource
from server.sync.idempotent import insert_once

APPOINTMENT_IDENTITY = ["citizen_id", "created_by_id", "counterpart", "title", "starts_at"]
# Follow-up reminders get an id derived from the appointment's, so recording the outcome
# again updates the one reminder instead of adding another.
FOLLOW_UP_NAMESPACE = uuid.UUID("6f1d8a52-3c0e-4d2b-9a57-0b8f4c1e7d21")


def create_appointment(*, citizen, user, counterpart, title, starts_at, ends_at, location,
                       meeting_point, accompanied, note, client_id, recorded_at):
    values = dict(
        citizen_id=citizen.id, created_by_id=user.id, counterpart=counterpart, title=title.strip(),
        starts_at=starts_at, ends_at=ends_at, location=(location or "").strip() or None,
        meeting_point=(meeting_point or "").strip() or None, accompanied=bool(accompanied),
        note=(note or "").strip() or None, client_id=client_id, recorded_at=recorded_at,
    )
    return insert_once(Appointment, values, compare=APPOINTMENT_IDENTITY)


def record_outcome(appointment: Appointment, *, user, attended: bool, worker_was_present: bool,
                   outcome: str | None, follow_up: str | None, reminder_due: datetime | None):
    """Afterwards: what happened, and optionally a follow-up reminder in the same request."""
    appointment.attended = attended
    appointment.worker_was_present = worker_was_present
    appointment.outcome = (outcome or "").strip() or None
    appointment.follow_up = (follow_up or "").strip() or None
    appointment.outcome_recorded_at = utcnow()
    reminder = None
    if reminder_due is not None and appointment.follow_up:
        reminder = _follow_up_reminder(appointment, user, reminder_due)
    db.session.flush()
    return reminder


def _follow_up_reminder(appointment, user, due_at) -> Reminder:
    client_id = uuid.uuid5(FOLLOW_UP_NAMESPACE, str(appointment.client_id))
    reminder = db.session.scalar(select(Reminder).where(Reminder.client_id == client_id))
    if reminder is None:
        return reminders.add_reminder(owner_id=user.id, citizen_id=appointment.citizen_id,
                                      text=appointment.follow_up, due_at=due_at,
                                      source=ReminderSource.FOLLOW_UP, client_id=client_id)
    reminder.text, reminder.due_at, reminder.pushed_at = appointment.follow_up, due_at, None
    return reminder


def cancel(appointment: Appointment) -> Appointment:
    appointment.cancelled = True
    db.session.flush()
    return appointment


def record_citizen_answer(appointment: Appointment, answer: CitizenAnswer, citizen) -> Reminder | None:
    """The citizen answers "I'm coming" / "I can't come"; the primary worker gets a reminder.

    The same answer again changes nothing (no second reminder).
    """
    answer = CitizenAnswer(answer)
    if appointment.citizen_id != citizen.id:
        raise ValueError("the appointment belongs to another citizen")
    if appointment.citizen_answer == answer:
        return None
    appointment.citizen_answer = answer
    appointment.citizen_answered_at = utcnow()

    def message(worker):
        when = format_datetime(appointment.starts_at, "d. MMM 'kl.' HH:mm")
        if answer is CitizenAnswer.CANNOT_COME:
            return _("%(name)s kan ikke komme til %(title)s %(when)s",
                     name=citizen.display_name, title=appointment.title, when=when)
        return _("%(name)s kommer til %(title)s %(when)s",
                 name=citizen.display_name, title=appointment.title, when=when)

    return reminders.remind_primary_worker(citizen, source=ReminderSource.CITIZEN_ANSWER, message=message)
