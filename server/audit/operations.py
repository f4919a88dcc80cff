"""Writing audit events: collected during the request, stored with its commit, hash-chained."""
import hashlib
from datetime import UTC

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import insert, select, text

from server.audit.models import AuditEvent
from server.db import utcnow
from server.extensions import db

# Built once: every request that touches a citizen appends, and building these per call (and
# going through the ORM's flush for a row nothing else reads back) was a visible share of a
# page's CPU. The statements are executed on the session's connection, inside its transaction.
LOCKED_LAST_HASH = text("SELECT audit_chain_head()")  # PostgreSQL: lock, then read (models.py)
LAST_HASH = select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
INSERT_EVENT = insert(AuditEvent).returning(AuditEvent.id)
COLUMNS = ("at", "user_id", "role", "action", "citizen_id", "subject", "outcome", "ip", "prev_hash", "hash")


def _event(action, citizen_id, subject, outcome, user) -> AuditEvent:
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user
    return AuditEvent(
        at=utcnow(),
        action=action,
        citizen_id=citizen_id,
        subject=(subject or "")[:200] or None,
        outcome=outcome,
        user_id=getattr(user, "id", None),
        role=str(user.role) if user is not None else None,
        ip=request.remote_addr if has_request_context() else None,
    )


def record(action: str, *, citizen_id=None, subject=None, outcome="ok", user=None) -> None:
    """Queue an audit event; `flush_pending` stores it even when the request fails."""
    event = _event(action, citizen_id, subject, outcome, user)
    if has_request_context():
        g.setdefault("audit_events", []).append(event)
    else:
        append([event])


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
    if events:
        append(events)
    db.session.commit()


def content(event: AuditEvent) -> str:
    return "|".join(str(v) for v in (
        # Normalised to UTC: the stored value comes back in UTC whatever zone it was given in.
        event.prev_hash, event.at.astimezone(UTC).isoformat(), event.user_id, event.role, event.action,
        event.citizen_id, event.subject, event.outcome, event.ip,
    ))


def digest(event: AuditEvent) -> str:
    return hashlib.sha256(content(event).encode()).hexdigest()


def append(events: list[AuditEvent]) -> None:
    """Add events to the chain: each row's hash covers its content and the previous hash.

    On PostgreSQL a transaction-scoped advisory lock keeps concurrent requests from forking
    the chain (held until this request commits, a few milliseconds later); the lock and the
    read of the last hash are one call (`audit_chain_head`). The rows are
    inserted in order on the session's connection (one transaction with the request's writes;
    each event gets its id, but is not added to the session); the session's own pending objects
    are flushed first, as before.
    """
    db.session.flush()
    connection = db.session.connection()
    locked = connection.dialect.name == "postgresql"
    previous = connection.execute(LOCKED_LAST_HASH if locked else LAST_HASH).scalar()
    for event in events:  # one by one: ids follow the chain's order on every database
        # Column defaults apply only at INSERT; the hash must cover the values stored.
        event.outcome = event.outcome or "ok"
        event.at = event.at or utcnow()
        event.prev_hash = previous
        event.hash = digest(event)
        previous = event.hash
        event.id = connection.execute(INSERT_EVENT, {name: getattr(event, name) for name in COLUMNS}).scalar_one()


def verify_chain(batch: int = 5000) -> tuple[int, int | None]:
    """Walk the log in id order: (rows checked, id of the first broken row or None).

    The oldest remaining row anchors the chain (older rows are purged by retention).
    """
    checked, previous, last_id = 0, None, 0
    while True:
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return checked, None
        for row in rows:
            if checked and row.prev_hash != previous:
                return checked, row.id
            if row.hash != digest(row):
                return checked, row.id
            previous, last_id = row.hash, row.id
            checked += 1
        db.session.expunge_all()
