"""One-time enrolment codes with which a citizen registers a passkey on their own phone."""
import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import select, update

from server.auth.models import EnrolmentCode, Role, User
from server.citizens.models import Citizen
from server.db import utcnow
from server.extensions import db

# No 0/O, 1/I/L: the code is read aloud and typed on a small phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch in ALPHABET)


def _hash(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise(code).encode(), hashlib.sha256).hexdigest()


def citizen_user(citizen: Citizen) -> User:
    """The citizen's log-in account, created the first time a code is issued."""
    if citizen.user is None:
        user = User(
            username=f"borger-{citizen.id}-{secrets.token_hex(4)}",
            name=citizen.display_name,
            role=Role.CITIZEN,
            team_id=citizen.team_id,
        )
        db.session.add(user)
        db.session.flush()
        citizen.user_id = user.id
        citizen.user = user
    return citizen.user


def issue_code(citizen: Citizen, issued_by: User) -> tuple[str, EnrolmentCode]:
    user = citizen_user(citizen)
    now = utcnow()
    # A new code replaces any code still outstanding.
    db.session.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.user_id == user.id, EnrolmentCode.used_at.is_(None))
        .values(used_at=now)
    )
    code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    row = EnrolmentCode(
        code_hash=_hash(code),
        user_id=user.id,
        created_by_id=issued_by.id,
        expires_at=now + current_app.config["ENROLMENT_CODE_LIFETIME"],
    )
    db.session.add(row)
    db.session.flush()
    return f"{code[:4]}-{code[4:]}", row


def find_valid(code: str) -> EnrolmentCode | None:
    if len(normalise(code)) != 8:
        return None
    row = db.session.scalar(select(EnrolmentCode).where(EnrolmentCode.code_hash == _hash(code)))
    if row is None or row.used_at is not None or row.expires_at < utcnow() or not row.user.active:
        return None
    return row


def use(row_id: int) -> bool:
    """Mark the code used; False if it was used (or expired) meanwhile. Single use in SQL."""
    result = db.session.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.id == row_id, EnrolmentCode.used_at.is_(None), EnrolmentCode.expires_at >= utcnow())
        .values(used_at=utcnow())
    )
    return result.rowcount == 1
