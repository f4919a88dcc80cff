"""Writes for the administrator: users (role, team, active, password, passkeys) and teams."""
from sqlalchemy import delete

from server.audit import operations as audit
from server.auth.models import Credential, User
from server.auth.passwords import hash_password
from server.auth.sessions import end_all_sessions
from server.extensions import db
from server.teams.models import Team

USER_FIELDS = ("name", "username", "role", "team_id", "email", "active")
TEAM_FIELDS = ("name", "municipality", "meeting_cadence_days", "supervision_cadence_days")


def save_user(user: User | None, data: dict, password: str | None) -> User:
    """Create or update a staff user; deactivation or a new password ends their sessions."""
    created = user is None
    user = user or User()
    was_active = bool(user.active) if not created else True
    for name in USER_FIELDS:
        setattr(user, name, data[name])
    user.username = user.username.strip().lower()
    if password:
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    if not created and ((was_active and not user.active) or password):
        end_all_sessions(user)
    audit.record("admin", subject=f"user:{user.id} {'create' if created else 'update'} role:{user.role}"
                 + (" password" if password else "") + ("" if user.active else " inactive"))
    return user


def reset_passkeys(user: User) -> int:
    """Remove all the user's passkeys and end their sessions (a lost or stolen phone)."""
    count = db.session.execute(delete(Credential).where(Credential.user_id == user.id)).rowcount
    end_all_sessions(user)
    db.session.flush()
    audit.record("admin", subject=f"user:{user.id} passkeys-reset:{count}")
    return count


def save_team(team: Team | None, data: dict) -> Team:
    created = team is None
    team = team or Team()
    for name in TEAM_FIELDS:
        setattr(team, name, data[name])
    db.session.add(team)
    db.session.flush()
    audit.record("admin", subject=f"team:{team.id} {'create' if created else 'update'}")
    return team
