"""The catalogue of local offers, and each citizen's way into them (bridge-building)."""
import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, TimestampMixin, utcnow


class Provider(enum.StrEnum):
    MUNICIPAL = "municipal"
    NGO = "ngo"
    PRIVATE = "private"
    REGIONAL = "regional"


class OfferStatus(enum.StrEnum):
    IDENTIFIED = "identified"
    CONTACTED = "contacted"
    ATTENDING = "attending"
    ENDED = "ended"


class Offer(TimestampMixin, Base):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    provider: Mapped[Provider] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(300))
    contact: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)


class CitizenOffer(Base):
    __tablename__ = "citizen_offers"
    __table_args__ = (UniqueConstraint("citizen_id", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"))
    status: Mapped[OfferStatus] = mapped_column(String(20), default=OfferStatus.IDENTIFIED)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    offer: Mapped[Offer] = relationship()
