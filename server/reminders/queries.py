"""Reads for reminders: a worker's open list, and what the push command must send."""
from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import contains_eager

from server.access import visible_citizens_clause
from server.appointments.models import Appointment
from server.citizens.models import Assignment, Citizen
from server.reminders.models import PushSubscription, Reminder


def open_reminders(user, now: datetime) -> Select:
    """The user's reminders not yet done: due and overdue first, then upcoming, by time.

    A reminder about a citizen the user can no longer see (reassigned, substitution over)
    drops out of the list, so no name of a citizen outside the caseload is shown.
    The citizen is loaded in the same query (no N+1).
    """
    return (
        select(Reminder)
        .outerjoin(Reminder.citizen)
        .options(contains_eager(Reminder.citizen))
        .where(
            Reminder.owner_id == user.id,
            Reminder.done_at.is_(None),
            or_(Reminder.citizen_id.is_(None), visible_citizens_clause(user, now)),
        )
        .order_by(Reminder.due_at, Reminder.id)
    )


def due_reminders(user, now: datetime) -> Select:
    """For Today: the open reminders due by now."""
    return open_reminders(user, now).where(Reminder.due_at <= now)


def reminders_to_push(now: datetime, batch: int) -> Select:
    """Due, open, never pushed reminders; locked so parallel senders take different rows.

    FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite ignores the clause (one writer anyway).
    """
    return (
        select(Reminder)
        .where(Reminder.due_at <= now, Reminder.done_at.is_(None), Reminder.pushed_at.is_(None))
        .order_by(Reminder.due_at, Reminder.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )


def appointments_to_remind(now: datetime, until: datetime, batch: int) -> Select:
    """Appointments starting before `until`, not yet reminded, with the citizen's user id
    (None when the citizen has no log-in: the row is marked as handled all the same)."""
    return (
        select(Appointment, Citizen.user_id)
        .join(Citizen, Citizen.id == Appointment.citizen_id)
        .where(
            Appointment.starts_at > now,
            Appointment.starts_at <= until,
            Appointment.reminder_sent_at.is_(None),
            Appointment.cancelled.is_(False),
        )
        .order_by(Appointment.starts_at, Appointment.id)
        .limit(batch)
        .with_for_update(skip_locked=True, of=Appointment)
    )


def subscriptions_of(user_id: int) -> Select:
    return select(PushSubscription).where(PushSubscription.user_id == user_id).order_by(PushSubscription.id)


def primary_worker_id(citizen_id: int) -> Select:
    return select(Assignment.worker_id).where(
        and_(Assignment.citizen_id == citizen_id, Assignment.ends_at.is_(None))
    )
