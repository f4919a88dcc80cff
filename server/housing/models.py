"""The citizen's housing: a timeline of situations, and the plan for getting a home."""
import enum
from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, TimestampMixin


class Situation(enum.StrEnum):
    # Homeless (the Danish national homelessness count's categories)
    STREET = "street"
    NIGHT_SHELTER = "night_shelter"
    SHELTER_110 = "shelter_110"
    HOTEL_HOSTEL = "hotel_hostel"
    SOFA_SURFING = "sofa_surfing"
    TRANSITIONAL = "transitional"
    RELEASE_PRISON = "release_prison"
    DISCHARGE_HOSPITAL = "discharge_hospital"
    OTHER_HOMELESS = "other_homeless"
    # Housed
    RENTAL_PUBLIC = "rental_public"
    RENTAL_PRIVATE = "rental_private"
    AT_RISK = "at_risk"  # housed, but at risk of losing the home
    RESIDENTIAL_107 = "residential_107"
    RESIDENTIAL_108 = "residential_108"
    SKAEVE_HUSE = "skaeve_huse"


HOUSED = frozenset({
    Situation.RENTAL_PUBLIC, Situation.RENTAL_PRIVATE, Situation.AT_RISK,
    Situation.RESIDENTIAL_107, Situation.RESIDENTIAL_108, Situation.SKAEVE_HUSE,
})


class HousingEvent(TimestampMixin, Base):
    """From `starts_on` the citizen lives in `situation`, until the next event."""

    __tablename__ = "housing_events"
    __table_args__ = (Index("ix_housing_events_citizen_starts", "citizen_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    situation: Mapped[Situation] = mapped_column(String(30))
    housed: Mapped[bool]  # derived from situation, stored so reports aggregate in SQL
    starts_on: Mapped[date]
    evicted: Mapped[bool] = mapped_column(default=False)  # this move followed an eviction
    address: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class HousingPlan(TimestampMixin, Base):
    """How and when housing comes, where the citizen stays meanwhile, and the move-in checklist."""

    __tablename__ = "housing_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), unique=True)
    interim_stay: Mapped[str | None] = mapped_column(String(300))
    target: Mapped[str | None] = mapped_column(String(300))
    waiting_list: Mapped[str | None] = mapped_column(String(300))
    expected_move_in_on: Mapped[date | None]
    moving_in: Mapped[bool] = mapped_column(default=False)  # in the move-in phase now
    # Move-in checklist
    deposit: Mapped[bool] = mapped_column(default=False)
    deposit_loan: Mapped[bool] = mapped_column(default=False)
    betalingsservice: Mapped[bool] = mapped_column(default=False)
    rent_administration: Mapped[bool] = mapped_column(default=False)
    moving_help: Mapped[bool] = mapped_column(default=False)
    furniture: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
