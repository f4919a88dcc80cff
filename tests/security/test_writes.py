"""The committed-writes watcher agrees with the full digest of every table (tests/security/writes.py)."""
import uuid

import pytest
from sqlalchemy import text, update

from server.audit.models import AuditEvent
from server.citizens.models import Citizen
from server.contacts.models import Contact, ContactType, Place
from server.db import utcnow
from server.extensions import db
from tests.security.world import diff, fingerprint
from tests.security.writes import CommittedWrites


@pytest.fixture
def watch(app, ctx):
    watcher = CommittedWrites(db.engine)
    yield watcher
    watcher.close()


def contact_for(ids):
    citizen_id, worker_id = ids
    return Contact(citizen_id=citizen_id, worker_id=worker_id, type=ContactType.HOME_VISIT, place=Place.HOME,
                   note="x", occurred_at=utcnow(), client_id=uuid.uuid4(), recorded_at=utcnow())


def both(watch, action):
    """(tables the watcher saw committed, tables whose digest changed) for one action."""
    before = fingerprint()
    watch.clear()
    action()
    db.session.remove()
    return watch.tables(), set(diff(before, fingerprint()))


def test_a_committed_insert_update_and_delete_are_seen_as_the_digest_sees_them(watch, make):
    worker = make.worker()
    citizen = make.citizen(worker=worker)
    db.session.commit()
    citizen_id, ids = citizen.id, (citizen.id, worker.id)

    def insert():
        db.session.add(contact_for(ids))
        db.session.commit()

    assert both(watch, insert) == ({"contacts"}, {"contacts"})

    def change():
        db.session.execute(update(Citizen).where(Citizen.id == citizen_id).values(wishes="nyt ønske"))
        db.session.commit()

    assert both(watch, change) == ({"citizens"}, {"citizens"})

    def delete():
        db.session.execute(text("DELETE FROM contacts"))
        db.session.commit()

    assert both(watch, delete) == ({"contacts"}, {"contacts"})


def test_rolled_back_work_and_a_rolled_back_savepoint_are_not_writes(watch, make):
    worker = make.worker()
    citizen = make.citizen(worker=worker)
    db.session.commit()
    ids = citizen.id, worker.id

    def rolled_back():
        db.session.add(contact_for(ids))
        db.session.flush()
        db.session.rollback()

    assert both(watch, rolled_back) == (set(), set())

    def savepoint_then_other_write():
        db.session.add(contact_for(ids))
        db.session.flush()
        nested = db.session.begin_nested()
        db.session.execute(text("UPDATE citizens SET wishes = 'x'"))
        nested.rollback()
        db.session.commit()

    assert both(watch, savepoint_then_other_write) == ({"contacts"}, {"contacts"})

    def nested_savepoints():
        outer = db.session.begin_nested()
        db.session.add(contact_for(ids))
        db.session.flush()
        inner = db.session.begin_nested()
        db.session.execute(text("UPDATE citizens SET wishes = 'y'"))
        inner.rollback()
        outer.commit()
        db.session.commit()

    assert both(watch, nested_savepoints) == ({"contacts"}, {"contacts"})


def test_bookkeeping_tables_and_updates_of_no_rows_are_not_writes(watch, make):
    def bookkeeping():
        db.session.add(AuditEvent(action="test.read", outcome="ok"))
        db.session.execute(text("UPDATE citizens SET wishes = 'x' WHERE id = -1"))
        db.session.commit()

    assert both(watch, bookkeeping) == (set(), set())
