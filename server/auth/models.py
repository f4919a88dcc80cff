"""People who log in, their passkeys, sessions, challenges and enrolment codes."""
import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, TimestampMixin


class Role(enum.StrEnum):
    WORKER = "worker"
    SUPERVISOR = "supervisor"
    CITIZEN = "citizen"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.WORKER, Role.SUPERVISOR, Role.ADMIN})


def new_user_handle() -> bytes:
    # WebAuthn user handle: random, never the e-mail (it is stored on the authenticator).
    return secrets.token_bytes(32)


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    user_handle: Mapped[bytes] = mapped_column(LargeBinary(64), unique=True, default=new_user_handle)
    locale: Mapped[str | None] = mapped_column(String(5))

    team = relationship("Team", foreign_keys=[team_id])
    credentials: Mapped[list["Credential"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled user is out on the next request
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


class Credential(TimestampMixin, Base):
    """A passkey registered by a user."""

    __tablename__ = "credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(default=0)
    transports: Mapped[list] = mapped_column(JSON, default=list)
    device_type: Mapped[str | None] = mapped_column(String(40))
    backed_up: Mapped[bool] = mapped_column(default=False)
    label: Mapped[str | None] = mapped_column(String(100))
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="credentials")


class LoginSession(TimestampMixin, Base):
    """Server side of a login: the cookie only names this row, so logout really ends it."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_seen_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    method: Mapped[str] = mapped_column(String(20))  # password | passkey

    user: Mapped[User] = relationship()


class WebAuthnChallenge(Base):
    """A WebAuthn challenge kept on the server: single use, short-lived."""

    __tablename__ = "webauthn_challenges"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    challenge: Mapped[bytes] = mapped_column(LargeBinary(64))
    purpose: Mapped[str] = mapped_column(String(20))  # register | login
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(index=True)


class EnrolmentCode(TimestampMixin, Base):
    """A one-time code with which a citizen registers a passkey on their own phone."""

    __tablename__ = "enrolment_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only a hash is stored: a database reader cannot enrol as the citizen.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
