"""Contacts with a citizen: visits, calls, meetings elsewhere, and outreach attempts."""
import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, ClientEntryMixin


class ContactType(enum.StrEnum):
    HOME_VISIT = "home_visit"
    PHONE = "phone"
    MET_ELSEWHERE = "met_elsewhere"
    ACCOMPANIMENT = "accompaniment"
    OUTREACH = "outreach"


class Place(enum.StrEnum):
    HOME = "home"
    STREET = "street"
    OFFICE = "office"
    CHOSEN = "chosen"  # a place the citizen chose
    OTHER = "other"
    PHONE = "phone"  # no physical place


contact_dimensions = Table(
    "contact_dimensions",
    Base.metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("dimension_id", ForeignKey("dimensions.id"), primary_key=True),
)


class Contact(ClientEntryMixin, Base):
    __tablename__ = "contacts"
    __table_args__ = (
        # Last contact / contacts over time per citizen: the hottest read in the app. On
        # PostgreSQL it carries `reached` too, so the last successful contact and the board's
        # contact strip are read from the index alone (no visit to the table per contact).
        Index("ix_contacts_citizen_occurred", "citizen_id", "occurred_at", postgresql_include=["reached"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    type: Mapped[ContactType] = mapped_column(String(20))
    place: Mapped[Place] = mapped_column(String(20))
    # False for "tried, not reached": an attempt is recorded but does not count as contact.
    reached: Mapped[bool] = mapped_column(default=True)
    duration_minutes: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    shared_with_citizen: Mapped[bool] = mapped_column(default=False)
    occurred_at: Mapped[datetime]

    dimensions = relationship("Dimension", secondary=contact_dimensions, order_by="Dimension.position")
    worker = relationship("User")
