"""Writing audit events: collected during the request, stored with its commit."""
from flask import g, has_request_context, request
from flask_login import current_user

from server.audit.models import AuditEvent
from server.extensions import db


def _event(action, citizen_id, subject, outcome, user) -> AuditEvent:
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user
    return AuditEvent(
        action=action,
        citizen_id=citizen_id,
        subject=(subject or "")[:200] or None,
        outcome=outcome,
        user_id=getattr(user, "id", None),
        role=str(user.role) if user is not None else None,
        ip=request.remote_addr if has_request_context() else None,
    )


def record(action: str, *, citizen_id=None, subject=None, outcome="ok", user=None) -> None:
    """Queue an audit event; `finish_request` stores it even when the request fails."""
    event = _event(action, citizen_id, subject, outcome, user)
    if has_request_context():
        g.setdefault("audit_events", []).append(event)
    else:
        db.session.add(event)


def record_now(action: str, **kwargs) -> None:
    """Store an event at once, for requests that will end in an abort()."""
    record(action, **kwargs)
    if has_request_context():
        flush_pending(rolled_back=True)


def flush_pending(*, rolled_back: bool) -> None:
    """Store the request's queued audit events and commit.

    On failure the request's own writes are rolled back first, so a denied or invalid
    request leaves nothing half-saved but is still logged.
    """
    events = g.pop("audit_events", [])
    if rolled_back:
        db.session.rollback()
    db.session.add_all(events)
    db.session.commit()
