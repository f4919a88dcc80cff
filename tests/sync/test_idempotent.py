"""Every entry from a phone is stored once per UUID: stored, duplicate, or conflict (409)."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from server.contacts.models import Contact, ContactType, Place
from server.db import utcnow
from server.extensions import db
from server.sync.idempotent import HTTP_STATUS, Outcome, insert_once

COMPARE = ["citizen_id", "worker_id", "type", "place", "note", "occurred_at"]


@pytest.fixture
def visit(make):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)

    def values(**changes):
        base = {
            "client_id": uuid.UUID("7d7c1c55-2f7b-4b6e-9b36-2d1b1c1f0a01"),
            "recorded_at": datetime(2026, 3, 2, 8, 15, tzinfo=UTC),
            "citizen_id": citizen.id, "worker_id": worker.id,
            "type": ContactType.HOME_VISIT, "place": Place.HOME, "note": "Talte om huslejen",
            "occurred_at": datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        }
        return base | changes

    return values


def contact_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Contact))


def test_a_new_uuid_is_stored(visit):
    outcome, contact = insert_once(Contact, visit(), compare=COMPARE)
    assert outcome is Outcome.STORED and HTTP_STATUS[outcome] == 201
    assert contact.id and contact_count() == 1


def test_the_same_entry_replayed_is_a_duplicate_and_changes_nothing(visit):
    _, first = insert_once(Contact, visit(), compare=COMPARE)
    db.session.commit()
    for _ in range(3):
        outcome, again = insert_once(Contact, visit(), compare=COMPARE)
        assert outcome is Outcome.DUPLICATE and HTTP_STATUS[outcome] == 200
        assert again.id == first.id
    assert contact_count() == 1


def test_the_same_uuid_with_other_content_is_a_conflict_and_keeps_the_first(visit):
    insert_once(Contact, visit(), compare=COMPARE)
    db.session.commit()
    outcome, existing = insert_once(Contact, visit(note="Noget helt andet"), compare=COMPARE)
    assert outcome is Outcome.CONFLICT and HTTP_STATUS[outcome] == 409
    assert existing.note == "Talte om huslejen"
    assert contact_count() == 1


def test_a_uuid_cannot_be_used_to_reach_another_citizens_entry(visit, make):
    insert_once(Contact, visit(), compare=COMPARE)
    db.session.commit()
    other = make.citizen(worker=make.worker(team=make.team()))
    outcome, _ = insert_once(Contact, visit(citizen_id=other.id), compare=COMPARE)
    assert outcome is Outcome.CONFLICT


def test_recorded_time_is_the_phones_and_received_time_the_servers(visit):
    recorded = utcnow() - timedelta(days=2)
    _, contact = insert_once(Contact, visit(recorded_at=recorded), compare=COMPARE)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Contact, contact.id)
    assert abs(stored.recorded_at - recorded) < timedelta(seconds=1)
    assert utcnow() - stored.received_at < timedelta(minutes=1)
    assert stored.received_at - stored.recorded_at > timedelta(days=1)
    assert stored.occurred_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_replay_does_not_move_the_received_time(visit):
    _, contact = insert_once(Contact, visit(), compare=COMPARE)
    db.session.commit()
    received = contact.received_at
    insert_once(Contact, visit(), compare=COMPARE)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).received_at == received
