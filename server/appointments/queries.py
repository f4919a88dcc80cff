"""Reads for appointments: a citizen's upcoming and past, and a worker's for a time span."""
from datetime import datetime, timedelta

from sqlalchemy import Select, select

from server.access import visible_citizens_clause
from server.appointments.models import Appointment
from server.citizens.models import Citizen

# An appointment stays "upcoming" through its first hour, so the worker on the way finds it.
GRACE = timedelta(hours=1)
PAST_LIMIT = 50


def upcoming_for_citizen(citizen_id: int, now: datetime) -> Select:
    return (
        select(Appointment)
        .where(Appointment.citizen_id == citizen_id, Appointment.starts_at >= now - GRACE)
        .order_by(Appointment.starts_at, Appointment.id)
    )


def past_for_citizen(citizen_id: int, now: datetime, limit: int = PAST_LIMIT) -> Select:
    return (
        select(Appointment)
        .where(Appointment.citizen_id == citizen_id, Appointment.starts_at < now - GRACE)
        .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
        .limit(limit)
    )


def for_user_between(user, start: datetime, end: datetime) -> Select:
    """Appointments of the citizens this user may see, starting in [start, end), with the
    citizen in the same row (for Today; no N+1)."""
    return (
        select(Appointment, Citizen)
        .join(Citizen, Citizen.id == Appointment.citizen_id)
        .where(visible_citizens_clause(user, start), Appointment.starts_at >= start,
               Appointment.starts_at < end, Appointment.cancelled.is_(False))
        .order_by(Appointment.starts_at, Appointment.id)
    )
