"""The audit log: every read and write of a citizen's data, denied requests and log-ins."""
from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_citizen_at", "citizen_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))  # read | write | search | export | login | denied ...
    # No FK: the log must outlive anonymisation of the citizen's case data.
    citizen_id: Mapped[int | None]
    subject: Mapped[str | None] = mapped_column(String(200))  # what: endpoint / object, or search term
    outcome: Mapped[str] = mapped_column(String(20), default="ok")
    ip: Mapped[str | None] = mapped_column(String(64))
    # Hash chain: each row's hash covers its content and the previous row's hash.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


# The advisory lock that serialises appends to the hash chain on PostgreSQL (any constant).
CHAIN_LOCK = 7_340_501

# On PostgreSQL, `audit_chain_head()` takes that lock and then reads the chain's last hash: one
# round trip for what every audited request did in two. It must be a function: a single
# statement's snapshot is taken before its lock is granted, so `SELECT hash ... ` with the lock in
# the same statement could read a head that the request holding the lock was just replacing (a
# fork). In a volatile PL/pgSQL function each statement takes its own snapshot, after the lock.
# Migration 0004 creates the same function on migrated databases.
CHAIN_HEAD_FUNCTION = f"""CREATE OR REPLACE FUNCTION audit_chain_head() RETURNS varchar
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
    RETURN (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1);
END
$$"""

event.listen(AuditEvent.__table__, "after_create", DDL(CHAIN_HEAD_FUNCTION).execute_if(dialect="postgresql"))
event.listen(AuditEvent.__table__, "before_drop",
             DDL("DROP FUNCTION IF EXISTS audit_chain_head()").execute_if(dialect="postgresql"))
