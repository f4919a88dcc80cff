"""Reminders for workers, and the push subscriptions that deliver them."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, ClientEntryMixin, TimestampMixin


class ReminderSource(enum.StrEnum):
    MANUAL = "manual"
    FOLLOW_UP = "follow_up"  # from an appointment's outcome
    CITIZEN_REQUEST = "citizen_request"  # "I would like contact"
    CITIZEN_ANSWER = "citizen_answer"  # "I can't come"
    TEAM_DECISION = "team_decision"


class Reminder(ClientEntryMixin, Base):
    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_owner_due", "owner_id", "done_at", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    source: Mapped[ReminderSource] = mapped_column(String(20), default=ReminderSource.MANUAL)
    pushed_at: Mapped[datetime | None]

    citizen = relationship("Citizen")


class PushSubscription(TimestampMixin, Base):
    """A phone that asked for reminders. It belongs to the log-in that made it: logging out on a
    shared phone ends it, so the next person on that phone never gets the previous one's
    reminders (server/auth/sessions.py)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    login_session_id: Mapped[str | None] = mapped_column(
        ForeignKey("login_sessions.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
