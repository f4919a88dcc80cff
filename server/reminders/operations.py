"""Writes for reminders: create (once per client UUID), done, snooze, and reminders that
the citizen's own actions create for their worker. Operations flush; the request commits."""
import uuid
from datetime import datetime

from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from server.auth.models import User
from server.db import utcnow
from server.extensions import db
from server.reminders import queries
from server.localtime import snooze_until
from server.reminders.models import Reminder, ReminderSource
from server.sync.idempotent import insert_once

# The fields that make a replayed reminder "the same entry" (see insert_once).
REMINDER_IDENTITY = ["owner_id", "citizen_id", "text", "due_at"]


def create_reminder(*, owner, citizen_id, text, due_at, client_id, recorded_at,
                    source=ReminderSource.MANUAL):
    """Store a reminder once per client UUID; returns (Outcome, Reminder)."""
    values = dict(owner_id=owner.id, citizen_id=citizen_id, text=text.strip(), due_at=due_at,
                  client_id=client_id, recorded_at=recorded_at, source=source)
    return insert_once(Reminder, values, compare=REMINDER_IDENTITY)


def add_reminder(*, owner_id, citizen_id, text, due_at, source, client_id=None) -> Reminder:
    """A reminder made by the server itself (follow-up, a citizen's answer or request)."""
    now = utcnow()
    reminder = Reminder(owner_id=owner_id, citizen_id=citizen_id, text=text, due_at=due_at,
                        source=source, client_id=client_id or uuid.uuid4(), recorded_at=now,
                        received_at=now)
    db.session.add(reminder)
    db.session.flush()
    return reminder


def mark_done(reminder: Reminder, when: datetime | None = None) -> Reminder:
    """Done is done: a second tap (or an outbox replay) keeps the first time."""
    if reminder.done_at is None:
        reminder.done_at = when or utcnow()
        db.session.flush()
    return reminder


def snooze(reminder: Reminder, preset: str, now: datetime) -> Reminder:
    """Move the reminder to the preset time; it comes back open and will be pushed again."""
    reminder.due_at = snooze_until(preset, now)
    reminder.done_at = None
    reminder.pushed_at = None
    db.session.flush()
    return reminder


def primary_worker(citizen) -> User | None:
    worker_id = db.session.scalar(queries.primary_worker_id(citizen.id))
    return db.session.get(User, worker_id) if worker_id else None


def remind_primary_worker(citizen, *, source, message) -> Reminder | None:
    """A reminder, due now, for the citizen's primary worker; message(worker) makes the text
    in the worker's language (the citizen's request runs in the citizen's locale)."""
    worker = primary_worker(citizen)
    if worker is None:
        return None
    with force_locale(worker.locale or "da"):
        text = message(worker)
    return add_reminder(owner_id=worker.id, citizen_id=citizen.id, text=text, due_at=utcnow(),
                        source=source)


def request_contact(citizen) -> Reminder | None:
    """The citizen tapped "I would like contact": tell the primary worker.

    Repeated taps while the worker has not yet reacted do not pile up reminders.
    """
    citizen.asked_for_contact_at = utcnow()
    open_request = db.session.scalar(select(Reminder).where(
        Reminder.citizen_id == citizen.id,
        Reminder.source == ReminderSource.CITIZEN_REQUEST,
        Reminder.done_at.is_(None),
    ).limit(1))
    if open_request is not None:
        db.session.flush()
        return open_request
    return remind_primary_worker(
        citizen, source=ReminderSource.CITIZEN_REQUEST,
        message=lambda worker: _("%(name)s vil gerne kontaktes", name=citizen.display_name),
    )
