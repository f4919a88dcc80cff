"""Test data builders: invented people, real rows, flushed and committed."""
import itertools
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select

from server.auth.models import Role, User
from server.auth.passwords import hash_password
from server.citizens.models import Assignment, Citizen, Dimension, Substitution
from server.db import utcnow
from server.extensions import db

_seq = itertools.count(1)
PASSWORD = "korrekt-hest-batteri"
_PASSWORD_HASH = None


def _password_hash():
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = hash_password(PASSWORD)
    return _PASSWORD_HASH


def save(obj):
    db.session.add(obj)
    db.session.commit()
    return obj


def team(name=None, **kw):
    from server.teams.models import Team

    return save(Team(name=name or f"ICM-team {next(_seq)}", municipality="Søby Kommune", **kw))


def user(role=Role.WORKER, team=None, password=True, **kw):
    n = next(_seq)
    kw.setdefault("username", f"{role}{n}")
    kw.setdefault("name", f"Testperson {n}")
    return save(User(role=role, team_id=team.id if team else None,
                     password_hash=_password_hash() if password and role != Role.CITIZEN else None, **kw))


def worker(team=None, **kw):
    return user(Role.WORKER, team=team, **kw)


def supervisor(team=None, **kw):
    return user(Role.SUPERVISOR, team=team, **kw)


def admin(**kw):
    return user(Role.ADMIN, **kw)


def citizen(worker=None, team=None, with_login=False, started_on=None, **kw):
    """A citizen in an active ICM course, assigned to `worker` (primary) if given."""
    n = next(_seq)
    team_id = (team.id if team else None) or (worker.team_id if worker else None)
    if team_id is None:
        team_id = globals()["team"]().id
    c = Citizen(first_name=kw.pop("first_name", f"Borger{n}"), last_name=kw.pop("last_name", "Testsen"),
                team_id=team_id, started_on=started_on or date.today() - timedelta(days=90), **kw)
    db.session.add(c)
    db.session.flush()
    if worker is not None:
        db.session.add(Assignment(citizen_id=c.id, worker_id=worker.id, starts_at=utcnow() - timedelta(days=90)))
    if with_login:
        login_user = User(username=f"borger{n}", name=c.display_name, role=Role.CITIZEN, team_id=team_id)
        db.session.add(login_user)
        db.session.flush()
        c.user_id = login_user.id
    db.session.commit()
    return c


def substitution(citizen, substitute, granted_by, starts_at=None, ends_at=None):
    now = utcnow()
    return save(Substitution(citizen_id=citizen.id, substitute_id=substitute.id, granted_by_id=granted_by.id,
                             starts_at=starts_at or now - timedelta(hours=1), ends_at=ends_at or now + timedelta(days=7)))


def dimension(key="housing") -> Dimension:
    return db.session.scalar(select(Dimension).where(Dimension.key == key))


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()


def aware(dt: datetime) -> datetime:
    from datetime import UTC

    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def reminder(owner, citizen=None, due_at=None, text="Husk huslejen", **kw):
    """A worker's reminder (optionally about a citizen), due now unless told."""
    from server.reminders.models import Reminder

    now = utcnow()
    return save(Reminder(owner_id=owner.id, citizen_id=citizen.id if citizen else None, text=text,
                         due_at=due_at or now, client_id=uuid.uuid4(), recorded_at=now, **kw))


def appointment(citizen, created_by, starts_at=None, title="Samtale på jobcentret", **kw):
    """An appointment for a citizen, tomorrow at this time unless told."""
    from server.appointments.models import Appointment, Counterpart

    now = utcnow()
    kw.setdefault("counterpart", Counterpart.JOBCENTER)
    return save(Appointment(citizen_id=citizen.id, created_by_id=created_by.id, title=title,
                            starts_at=starts_at or now + timedelta(days=1), client_id=uuid.uuid4(),
                            recorded_at=now, **kw))
