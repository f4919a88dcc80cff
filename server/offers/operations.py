"""Writes for offers: flush, never commit. Offers are deactivated, never deleted."""
from server.extensions import db
from server.offers.models import CitizenOffer, Offer, OfferStatus

OFFER_FIELDS = ("name", "provider", "description", "address", "contact")


def _text(value):
    return (value.strip() or None) if isinstance(value, str) else value


def create_offer(data: dict) -> Offer:
    offer = Offer(**{name: _text(data.get(name)) for name in OFFER_FIELDS}, active=True)
    db.session.add(offer)
    db.session.flush()
    return offer


def update_offer(offer: Offer, data: dict) -> Offer:
    for name in OFFER_FIELDS:
        setattr(offer, name, _text(data.get(name)))
    offer.active = bool(data.get("active"))
    db.session.flush()
    return offer


def link_offer(citizen, offer: Offer, note: str | None = None) -> CitizenOffer:
    row = CitizenOffer(citizen_id=citizen.id, offer_id=offer.id, status=OfferStatus.IDENTIFIED, note=_text(note))
    db.session.add(row)
    db.session.flush()
    return row


def set_status(citizen_offer: CitizenOffer, status: str, note: str | None) -> CitizenOffer:
    """Any direction is allowed: a citizen may stop attending and start again."""
    citizen_offer.status = OfferStatus(status)
    citizen_offer.note = _text(note)
    db.session.flush()
    return citizen_offer
