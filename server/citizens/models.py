"""Citizens in an ICM course: assignment history, substitutions, dimensions, assessments, network."""
import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, TimestampMixin


class SupportMethod(enum.StrEnum):
    ICM = "icm"
    CTI = "cti"
    ACT = "act"


class CourseStatus(enum.StrEnum):
    ACTIVE = "active"
    ENDED = "ended"
    ANONYMISED = "anonymised"


class EndReason(enum.StrEnum):
    TRANSFER_CTI = "transfer_cti"
    TRANSFER_85 = "transfer_85"
    NO_LONGER_NEEDED = "no_longer_needed"
    MOVED = "moved"
    DIED = "died"
    LOST_CONTACT = "lost_contact"
    OTHER = "other"


class Citizen(TimestampMixin, Base):
    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    # The citizen's own log-in, once enrolled.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    birth_year: Mapped[int | None]
    cpr: Mapped[str | None] = mapped_column(String(11))  # optional; masked by default
    phone: Mapped[str | None] = mapped_column(String(40))
    support_method: Mapped[SupportMethod] = mapped_column(String(10), default=SupportMethod.ICM)
    status: Mapped[CourseStatus] = mapped_column(String(12), default=CourseStatus.ACTIVE, index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    end_reason: Mapped[EndReason | None] = mapped_column(String(30))
    end_housing_situation: Mapped[str | None] = mapped_column(String(40))
    wishes: Mapped[str | None] = mapped_column(Text)  # the citizen's wishes and dreams, own words
    wishes_updated_at: Mapped[datetime | None]
    asked_for_contact_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="citizen", order_by="Assignment.starts_at"
    )
    user = relationship("User", foreign_keys=[user_id])
    team = relationship("Team")

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"


class Assignment(Base):
    """Who is the citizen's primary (continuous) ICM worker, and since when.

    History is kept: a reassignment closes the current row and opens a new one. The partial
    unique index makes "exactly one open assignment" a database fact, not an app promise.
    """

    __tablename__ = "assignments"
    __table_args__ = (
        Index(
            "uq_assignments_one_primary",
            "citizen_id",
            unique=True,
            sqlite_where=text("ends_at IS NULL"),
            postgresql_where=text("ends_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    # Set when a supervisor let a worker go above the caseload cap.
    cap_override_reason: Mapped[str | None] = mapped_column(Text)

    citizen: Mapped[Citizen] = relationship(back_populates="assignments")
    worker = relationship("User", foreign_keys=[worker_id])


class Substitution(TimestampMixin, Base):
    """Time-limited access for a colleague, granted by a supervisor (absence, holiday)."""

    __tablename__ = "substitutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)

    substitute = relationship("User", foreign_keys=[substitute_id])


class Dimension(Base):
    """A life dimension. The 8 of the ICM manual have a key; custom ones belong to a team."""

    __tablename__ = "dimensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    position: Mapped[int] = mapped_column(default=100)


class Assessment(TimestampMixin, Base):
    """Needs assessment for one dimension: the citizen's own words beside the worker's notes."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("dimensions.id"))
    assessed_on: Mapped[date]
    citizen_words: Mapped[str | None] = mapped_column(Text)
    worker_notes: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    dimension: Mapped[Dimension] = relationship()


class ContactWish(enum.StrEnum):
    WANTS_CONTACT = "wants_contact"
    THROUGH_CITIZEN = "through_citizen"
    NO_CONTACT = "no_contact"
    UNSURE = "unsure"


class NetworkPerson(TimestampMixin, Base):
    """Family, friends and others around the citizen, as far as the citizen wishes."""

    __tablename__ = "network_persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    contact_wish: Mapped[ContactWish] = mapped_column(String(20), default=ContactWish.UNSURE)
    note: Mapped[str | None] = mapped_column(Text)
