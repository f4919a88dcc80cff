"""Writes on contacts: store a logged contact or an outreach attempt exactly once."""
from sqlalchemy import insert

from server.contacts.models import Contact, ContactType, Place, contact_dimensions
from server.extensions import db
from server.sync.idempotent import Outcome, insert_once

# The fields that make a replay "the same entry" (the citizen first: a UUID never probes another).
CONTACT_COMPARE = ["citizen_id", "worker_id", "type", "place", "note", "occurred_at", "reached",
                   "shared_with_citizen"]


def _note(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def log_contact(citizen, worker, form):
    """Store the contact from a valid ContactForm; dimension links only for a new row."""
    contact_type = ContactType(form.type.data)
    # A phone call has no physical place; keeping "home" would inflate the home-visit share.
    place = Place.PHONE if contact_type is ContactType.PHONE else Place(form.place.data)
    values = {
        "client_id": form.client_uuid,
        "recorded_at": form.recorded_time,
        "citizen_id": citizen.id,
        "worker_id": worker.id,
        "type": contact_type,
        "place": place,
        "reached": True,
        "duration_minutes": form.duration_minutes.data,
        "note": _note(form.note.data),
        "shared_with_citizen": bool(form.shared_with_citizen.data),
        "occurred_at": form.occurred_utc,
    }
    outcome, contact = insert_once(Contact, values, compare=CONTACT_COMPARE)
    if outcome is Outcome.STORED and form.dimensions.data:
        db.session.execute(insert(contact_dimensions), [
            {"contact_id": contact.id, "dimension_id": dimension_id}
            for dimension_id in sorted(set(form.dimensions.data))
        ])
        db.session.expire(contact, ["dimensions"])
    return outcome, contact


def log_attempt(citizen, worker, form):
    """Tried, not reached: recorded (the method says never give up) but not counted as contact."""
    values = {
        "client_id": form.client_uuid,
        "recorded_at": form.recorded_time,
        "citizen_id": citizen.id,
        "worker_id": worker.id,
        "type": ContactType.OUTREACH,
        "place": Place(form.place.data) if form.place.data else Place.OTHER,
        "reached": False,
        "note": _note(form.note.data),
        "shared_with_citizen": False,
        # An attempt is logged on the spot: it happened when the phone recorded it.
        "occurred_at": form.recorded_time,
    }
    return insert_once(Contact, values, compare=CONTACT_COMPARE)
