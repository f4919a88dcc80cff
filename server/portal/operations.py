"""Writes from the citizen's own pages: wishes and the calendar feed (flush, never commit)."""
from sqlalchemy import update

from server.appointments.models import CalendarFeed
from server.db import utcnow
from server.extensions import db


def save_wishes(citizen, text: str | None) -> None:
    text = (text or "").strip()
    citizen.wishes = text or None
    citizen.wishes_updated_at = utcnow()
    db.session.flush()


def revoke_feeds(citizen) -> int:
    """Revoke every live feed URL of the citizen; a calendar app using one gets 404 from now on."""
    result = db.session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.citizen_id == citizen.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.flush()
    return result.rowcount


def create_feed(citizen) -> CalendarFeed:
    """A new secret feed URL; the old one stops working (one live URL per citizen)."""
    revoke_feeds(citizen)
    feed = CalendarFeed(citizen_id=citizen.id)
    db.session.add(feed)
    db.session.flush()
    return feed
