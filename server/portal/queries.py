"""Reads for the citizen's own pages: only what is fit for the citizen (the "What is shared" rule)."""
from flask import g, has_request_context
from sqlalchemy import func, select

from server.appointments.models import Appointment, CalendarFeed
from server.audit.models import AuditEvent
from server.auth.models import User
from server.citizens.models import Assessment, Assignment, Citizen, CourseStatus, Dimension
from server.contacts.models import Contact
from server.db import utcnow
from server.extensions import db
from server.plans.models import Plan


def own_citizen_id(user) -> int | None:
    """The citizen record behind a citizen's log-in."""
    return db.session.scalar(select(Citizen.id).where(Citizen.user_id == user.id))


def latest_plan(citizen_id: int):
    return (
        select(Plan)
        .where(Plan.citizen_id == citizen_id)
        .order_by(Plan.version.desc())
        .limit(1)
    )


def latest_citizen_words(citizen_id: int):
    """Per dimension, the citizen's own words from their most recent assessment (never the notes)."""
    newest = (
        select(Assessment.dimension_id, func.max(Assessment.id).label("id"))
        .where(Assessment.citizen_id == citizen_id, Assessment.citizen_words.is_not(None))
        .group_by(Assessment.dimension_id)
        .subquery()
    )
    return (
        select(Dimension, Assessment.citizen_words, Assessment.assessed_on)
        .join(Assessment, Assessment.dimension_id == Dimension.id)
        .join(newest, newest.c.id == Assessment.id)
        .order_by(Dimension.position, Dimension.id)
    )


def upcoming_appointments(citizen_id: int, now=None):
    now = now or utcnow()
    return (
        select(Appointment)
        .where(
            Appointment.citizen_id == citizen_id,
            Appointment.cancelled.is_(False),
            func.coalesce(Appointment.ends_at, Appointment.starts_at) >= now,
        )
        .order_by(Appointment.starts_at)
    )


def active_feed(citizen_id: int):
    return select(CalendarFeed).where(CalendarFeed.citizen_id == citizen_id, CalendarFeed.revoked_at.is_(None))


def feed_by_token(token: str):
    # An anonymised course has no appointments to give; its old links simply stop working.
    return (
        select(CalendarFeed)
        .join(Citizen, Citizen.id == CalendarFeed.citizen_id)
        .where(CalendarFeed.token == token, CalendarFeed.revoked_at.is_(None),
               Citizen.status != CourseStatus.ANONYMISED)
    )


def primary_worker(citizen_id: int):
    return (
        select(User)
        .join(Assignment, Assignment.worker_id == User.id)
        .where(Assignment.citizen_id == citizen_id, Assignment.ends_at.is_(None))
    )


def shared_contacts(citizen_id: int, limit: int = 30):
    """Only contacts the worker marked "shared with citizen"; everything else stays in the team."""
    return (
        select(Contact)
        .where(Contact.citizen_id == citizen_id, Contact.shared_with_citizen.is_(True))
        .order_by(Contact.occurred_at.desc())
        .limit(limit)
    )


# --- Access log -------------------------------------------------------------------------------

def pending_audit_events(citizen_id: int) -> list[AuditEvent]:
    """This request's own audit events for the citizen, not yet stored (they go in with the
    request's commit). Shown too, so the page matches the log as it stands after the request."""
    if not has_request_context():
        return []
    events = [e for e in g.get("audit_events", []) if e.citizen_id == citizen_id]
    for event in events:
        if event.at is None:
            event.at = utcnow()  # fixed now, so the stored row has the time shown
    return sorted(events, key=lambda e: e.at, reverse=True)


def stored_audit_count(citizen_id: int) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.citizen_id == citizen_id))


def stored_audit_events(citizen_id: int, offset: int = 0, limit: int | None = None):
    query = (
        select(AuditEvent)
        .where(AuditEvent.citizen_id == citizen_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset(offset)
    )
    return query.limit(limit) if limit is not None else query


def access_log_page(citizen_id: int, page: int, per_page: int) -> tuple[list[AuditEvent], int]:
    """One page of the citizen's audit rows, newest first, this request's own row included."""
    pending = pending_audit_events(citizen_id)
    total = stored_audit_count(citizen_id) + len(pending)
    start = (page - 1) * per_page
    rows = pending[start:start + per_page]
    db_offset = max(0, start - len(pending))
    db_limit = per_page - len(rows)
    if db_limit > 0:
        rows += list(db.session.scalars(stored_audit_events(citizen_id, db_offset, db_limit)))
    return rows, total


def feed_appointments(citizen_id: int, now=None):
    """For the calendar feed: the last month and everything ahead, cancelled ones included so
    the citizen's calendar shows them as cancelled instead of keeping a stale entry."""
    from datetime import timedelta

    now = now or utcnow()
    return (
        select(Appointment)
        .where(Appointment.citizen_id == citizen_id, Appointment.starts_at >= now - timedelta(days=30))
        .order_by(Appointment.starts_at)
    )
