"""Store an entry made on a phone exactly once, keyed by its client-made UUID.

Replays of the same entry (the outbox retries after a lost response) must answer as success
and change nothing; the same UUID with different content is a conflict the worker must see.
"""
import enum
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db


class Outcome(enum.StrEnum):
    STORED = "stored"  # new: 201
    DUPLICATE = "duplicate"  # already stored with the same content: 200
    CONFLICT = "conflict"  # same UUID, other content: 409


HTTP_STATUS = {Outcome.STORED: 201, Outcome.DUPLICATE: 200, Outcome.CONFLICT: 409}


def insert_once(model, values: dict, *, compare: Iterable[str]):
    """INSERT ... ON CONFLICT (client_id) DO NOTHING, then tell stored / duplicate / conflict.

    `compare` names the fields that must match for a replay to count as the same entry
    (always include the citizen, so a UUID cannot be used to probe another citizen's data).
    """
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # An ORM "upsert" returning the entity: the new row comes back loaded in one round trip.
    statement = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["client_id"])
        .returning(model)
    )
    stored = db.session.scalars(statement).first()
    if stored is not None:
        return Outcome.STORED, stored
    existing = db.session.scalar(select(model).where(model.client_id == values["client_id"]))
    same = all(getattr(existing, name) == values.get(name) for name in compare)
    return (Outcome.DUPLICATE if same else Outcome.CONFLICT), existing
