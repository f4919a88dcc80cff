"""Reads for the worker's Today page: today's appointments and the reminders that are due."""
from datetime import datetime

from sqlalchemy import or_, select

from server.appointments.models import Appointment
from server.citizens.models import Citizen
from server.citizens.queries import day_bounds
from server.reminders.models import Reminder


def appointments_today(citizen_ids_clause, now: datetime):
    """Appointments and accompaniments starting today (Copenhagen) for citizens I may see."""
    start, end = day_bounds(now)
    return (
        select(Appointment, Citizen)
        .join(Citizen, Citizen.id == Appointment.citizen_id)
        .where(citizen_ids_clause, Appointment.starts_at >= start, Appointment.starts_at < end,
               Appointment.cancelled.is_(False))
        .order_by(Appointment.starts_at, Appointment.id)
    )


def reminders_due(owner_id: int, mine, now: datetime):
    """My open reminders due by the end of today, overdue ones first (by due time).

    `mine` is the visible-citizens clause: a reminder about a citizen I can no longer see
    (reassigned, substitution over) drops out rather than showing their name.
    """
    _, end = day_bounds(now)
    return (
        select(Reminder, Citizen)
        .outerjoin(Citizen, Citizen.id == Reminder.citizen_id)
        .where(Reminder.owner_id == owner_id, Reminder.done_at.is_(None), Reminder.due_at < end,
               or_(Reminder.citizen_id.is_(None), mine))
        .order_by(Reminder.due_at, Reminder.id)
    )
