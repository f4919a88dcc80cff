"""Model constraints the database itself guarantees."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.citizens.models import Assignment
from server.contacts.models import Contact
from server.db import utcnow
from server.extensions import db


def test_a_citizen_cannot_have_two_open_primary_assignments(make):
    team = make.team()
    first, second = make.worker(team=team), make.worker(team=team)
    citizen = make.citizen(worker=first)
    db.session.add(Assignment(citizen_id=citizen.id, worker_id=second.id, starts_at=utcnow()))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_closed_assignments_are_kept_as_history_beside_the_open_one(make):
    team = make.team()
    first, second = make.worker(team=team), make.worker(team=team)
    citizen = make.citizen(worker=first)
    current = db.session.scalar(select(Assignment).where(Assignment.citizen_id == citizen.id))
    current.ends_at = utcnow()
    db.session.flush()
    db.session.add(Assignment(citizen_id=citizen.id, worker_id=second.id, starts_at=utcnow()))
    db.session.commit()
    assert len(db.session.scalars(select(Assignment).where(Assignment.citizen_id == citizen.id)).all()) == 2


def _contact(citizen, worker, client_id):
    now = utcnow()
    return Contact(client_id=client_id, citizen_id=citizen.id, worker_id=worker.id, type="home_visit",
                   place="home", occurred_at=now, recorded_at=now)


def test_a_client_uuid_is_stored_once(make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    client_id = uuid.uuid4()
    db.session.add(_contact(citizen, worker, client_id))
    db.session.commit()
    db.session.add(_contact(citizen, worker, client_id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_datetimes_come_back_aware_in_utc(make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    copenhagen_summer = datetime(2026, 7, 1, 14, 30, tzinfo=UTC) + timedelta(hours=0)
    contact = _contact(citizen, worker, uuid.uuid4())
    contact.occurred_at = copenhagen_summer
    db.session.add(contact)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Contact, contact.id)
    assert stored.occurred_at.tzinfo is not None
    assert stored.occurred_at == copenhagen_summer
    assert stored.received_at.utcoffset() == timedelta(0)


def test_a_naive_datetime_is_refused(make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    contact = _contact(citizen, worker, uuid.uuid4())
    contact.occurred_at = datetime(2026, 7, 1, 14, 30)
    db.session.add(contact)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.flush()
    db.session.rollback()
