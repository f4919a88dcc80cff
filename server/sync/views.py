"""What the offline outbox asks the server: a fresh CSRF token and the pages it may keep offline."""
from datetime import timedelta

from flask import Blueprint, current_app, jsonify
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from server.appointments.models import Appointment
from server.audit import operations as audit
from server.auth.models import Role
from server.citizens.models import Assignment
from server.db import utcnow
from server.extensions import db
from server.policy import ANYONE_LOGGED_IN

bp = Blueprint("sync", __name__)

POLICY = {
    "sync.token": ANYONE_LOGGED_IN,
    # Every role may ask (the page script asks on every page); only workers get pages listed.
    "sync.offline_pages": ANYONE_LOGGED_IN,
}

# Entries older than this wait on the phone for the worker's review instead of being sent.
DEFAULT_MAX_AGE_DAYS = 30
OUTCOME_WINDOW = timedelta(days=14)


@bp.get("/sync/token")
def token():
    """A fresh CSRF token at replay time (a stored one ages out), and who is logged in.

    The outbox replays only the entries of `user_id`: another user's entries on the same phone
    wait for them. A logged-out caller gets 401 JSON from the login manager, never a redirect.
    """
    return jsonify(
        csrf_token=generate_csrf(),
        user_id=current_user.id,
        max_age_days=current_app.config.get("OUTBOX_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS),
    )


@bp.get("/sync/offline-pages")
def offline_pages():
    """The GET pages the service worker may keep for offline reading: Today and own caseload.

    Only the worker's own (primary) citizens; a substitute's temporary access is left out, so
    nothing stays on a phone beyond the worker's own caseload.
    """
    pages = ["/outbox"] if current_user.role in (Role.WORKER, Role.SUPERVISOR) else []
    form_prefixes = []
    if current_user.role == Role.WORKER:
        citizen_ids = db.session.scalars(
            select(Assignment.citizen_id)
            .where(Assignment.worker_id == current_user.id, Assignment.ends_at.is_(None))
            .order_by(Assignment.citizen_id)
        ).all()
        pages += ["/today", "/citizens", "/reminders"] + [f"/citizens/{citizen_id}" for citizen_id in citizen_ids]
        # Appointments around now get their outcome recorded in the field, often offline.
        now = utcnow()
        appointment_ids = db.session.scalars(
            select(Appointment.id)
            .where(Appointment.citizen_id.in_(citizen_ids), Appointment.cancelled.is_(False),
                   Appointment.starts_at.between(now - OUTCOME_WINDOW, now + OUTCOME_WINDOW))
            .order_by(Appointment.starts_at)
        ).all() if citizen_ids else []
        pages += [f"/appointments/{appointment_id}/outcome" for appointment_id in appointment_ids]
        # The "new entry" forms (paths ending in /new) under these prefixes, to record offline.
        form_prefixes = [f"/citizens/{citizen_id}/" for citizen_id in citizen_ids] + ["/reminders/"]
        audit.record("list", subject="offline-pages")
    return jsonify(user_id=current_user.id, pages=pages, form_prefixes=form_prefixes)
