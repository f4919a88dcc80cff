"""Appointments with other parties, and whether the worker accompanies the citizen there."""
import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, ClientEntryMixin, utcnow


class Counterpart(enum.StrEnum):
    JOBCENTER = "jobcenter"
    SOCIAL_CENTRE = "social_centre"
    DOCTOR = "doctor"
    PSYCHIATRY = "psychiatry"
    SUBSTANCE_TREATMENT = "substance_treatment"
    BANK = "bank"
    HOUSING_ASSOCIATION = "housing_association"
    OTHER = "other"


class CitizenAnswer(enum.StrEnum):
    COMING = "coming"
    CANNOT_COME = "cannot_come"


class Appointment(ClientEntryMixin, Base):
    """An appointment; with `accompanied` it is a meeting accompaniment (ledsagelse).

    The outcome fields are filled in afterwards.
    """

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_citizen_starts", "citizen_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    counterpart: Mapped[Counterpart] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    location: Mapped[str | None] = mapped_column(String(300))
    meeting_point: Mapped[str | None] = mapped_column(String(300))
    accompanied: Mapped[bool] = mapped_column(default=False)
    cancelled: Mapped[bool] = mapped_column(default=False)
    citizen_answer: Mapped[CitizenAnswer | None] = mapped_column(String(20))
    citizen_answered_at: Mapped[datetime | None]
    # Afterwards: did it happen, was the worker there, what came of it, what follows.
    attended: Mapped[bool | None]
    worker_was_present: Mapped[bool | None]
    outcome: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    outcome_recorded_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)  # team-internal
    reminder_sent_at: Mapped[datetime | None]

    created_by = relationship("User")


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(Base):
    """A citizen's secret, revocable calendar feed URL."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_feed_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
