"""ICM teams, their meetings with agenda and decisions, and supervision sessions."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, TimestampMixin


class Team(TimestampMixin, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    municipality: Mapped[str] = mapped_column(String(100))
    meeting_cadence_days: Mapped[int] = mapped_column(default=7)
    supervision_cadence_days: Mapped[int] = mapped_column(default=42)


class TeamMeeting(TimestampMixin, Base):
    __tablename__ = "team_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    held_at: Mapped[datetime]
    chaired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str | None] = mapped_column(Text)

    items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )


class AgendaItem(Base):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("team_meetings.id", ondelete="CASCADE"), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(40))  # new | not_reached | eviction_risk | review_overdue | asked_for_contact | other
    # Every flag the citizen had when the agenda was built (comma-separated), `reason` is the first.
    flags: Mapped[str | None] = mapped_column(String(200))
    discussion: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(Text)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminders.id"))

    meeting: Mapped[TeamMeeting] = relationship(back_populates="items")


class SupervisionSession(TimestampMixin, Base):
    __tablename__ = "supervision_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    held_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20), default="external")  # external | internal
    supervisor_name: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
