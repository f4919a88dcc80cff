"""Who may see which citizen: the one loader every citizen route goes through."""
from flask import abort, request
from flask_login import current_user
from sqlalchemy import and_, select, union_all

from server.audit import operations as audit
from server.auth.models import Role
from server.citizens.models import Assignment, Citizen, Substitution
from server.db import utcnow
from server.extensions import db


def visible_citizens_clause(user, now=None):
    """A SQL condition on Citizen: the citizens this user may see (for lists and counts)."""
    now = now or utcnow()
    if user.role == Role.CITIZEN:
        return Citizen.user_id == user.id
    if user.role == Role.SUPERVISOR:
        return Citizen.team_id == user.team_id
    if user.role == Role.WORKER:
        # Ids first (the worker's open assignments and current substitutions, by index), so
        # PostgreSQL starts from a handful of citizens instead of testing every citizen with
        # two EXISTS probes.
        own = select(Assignment.citizen_id).where(Assignment.worker_id == user.id, Assignment.ends_at.is_(None))
        substitute = select(Substitution.citizen_id).where(
            Substitution.substitute_id == user.id,
            Substitution.starts_at <= now,
            Substitution.ends_at > now,
        )
        return Citizen.id.in_(union_all(own, substitute))
    return and_(False)  # admin: administration only, never case data


def may_see(user, citizen_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(Citizen.id).where(Citizen.id == citizen_id, visible_citizens_clause(user))
        )
    )


def get_citizen_or_404(citizen_id: int, *, action: str | None = None, admin: bool = False) -> Citizen:
    """Load a citizen this user may see, and write the audit event; 404 otherwise.

    404 rather than 403 so ids of citizens outside the caseload reveal nothing.
    `admin=True` lets an administrator reach the citizen for administration only
    (passkey reset), never case data.
    """
    action = action or ("read" if request.method in ("GET", "HEAD") else "write")
    citizen = db.session.get(Citizen, citizen_id)
    allowed = citizen is not None and (
        (admin and current_user.role == Role.ADMIN) or may_see(current_user, citizen_id)
    )
    if not allowed:
        audit.record_now("denied", citizen_id=citizen_id, subject=request.endpoint, outcome="denied")
        abort(404)
    audit.record(action, citizen_id=citizen.id, subject=request.endpoint)
    return citizen
