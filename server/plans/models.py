"""The citizen's plan, made together with the citizen: versioned goals and actions."""
from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, TimestampMixin


class Plan(TimestampMixin, Base):
    """One saved version of a citizen's plan. Saving never edits a version: it adds one."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("citizen_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    version: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    review_on: Mapped[date | None]
    reviewed_on: Mapped[date | None]
    # The municipality's §141 action plan and the authority caseworker who owns it.
    section_141_reference: Mapped[str | None] = mapped_column(String(200))
    caseworker_name: Mapped[str | None] = mapped_column(String(200))
    caseworker_contact: Mapped[str | None] = mapped_column(String(200))
    change_note: Mapped[str | None] = mapped_column(Text)

    goals: Mapped[list["Goal"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Goal.position"
    )
    actions: Mapped[list["Action"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Action.position"
    )
    author = relationship("User")


class Goal(Base):
    __tablename__ = "plan_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    dimension_id: Mapped[int] = mapped_column(ForeignKey("dimensions.id"))
    position: Mapped[int] = mapped_column(default=0)
    # The same goal carries the same key from version to version, so a diff can tell
    # "changed" from "removed and added". Rows made elsewhere may leave it empty.
    key: Mapped[str | None] = mapped_column(String(32))
    citizen_words: Mapped[str] = mapped_column(Text)  # the goal as the citizen says it
    worker_note: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="goals")
    dimension = relationship("Dimension")


class Action(Base):
    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    dimension_id: Mapped[int | None] = mapped_column(ForeignKey("dimensions.id"))
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str | None] = mapped_column(String(32))  # stable across versions, as Goal.key
    who: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None]
    done: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[Plan] = relationship(back_populates="actions")
    dimension = relationship("Dimension")
