"""Writes for offers: flush, never commit. Offers are deactivated, never deleted."""
from server.extensions import db
from server.offers.models import CitizenOffer, Offer, OfferStatus, Provider

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


DEMO_OFFERS = [
    ("Værestedet Havnely", Provider.NGO, "Morgenmad, bad og tøjvask hverdage 8–12. Ingen tilmelding.",
     "Havnegade 12, Søby", "Tlf. 40 11 22 33"),
    ("Rusmiddelcenter Søby", Provider.MUNICIPAL, "Ambulant behandling for alkohol og stoffer, åben rådgivning tirsdag.",
     "Torvet 3, Søby", "Tlf. 70 20 30 40"),
    ("Distriktspsykiatrien Nord", Provider.REGIONAL, "Udredning og behandling for psykisk sygdom.",
     "Sygehusvej 8, Søby", "Via egen læge"),
    ("Gadejuristen Søby", Provider.NGO, "Gratis juridisk rådgivning til socialt udsatte.",
     "Kirkestræde 5, Søby", "gadejurist@example.invalid"),
    ("Aktivitetshuset Værkstedet", Provider.MUNICIPAL, "Værksted, cykelreparation og fællesspisning.",
     "Industrivej 21, Søby", "Tlf. 41 52 63 74"),
    ("Gældsrådgivning Fyrtårnet", Provider.NGO, "Hjælp til overblik over gæld og breve fra inkasso.",
     "Strandvej 2, Søby", "Tlf. 42 00 11 00"),
    ("Tandklinikken for hjemløse", Provider.PRIVATE, "Gratis akut tandbehandling onsdag eftermiddag.",
     "Vestergade 40, Søby", "Drop-in"),
]


def seed_demo_offers(session) -> None:
    """Invented local offers for the demo data (idempotent by name)."""
    from sqlalchemy import select

    existing = set(session.scalars(select(Offer.name)))
    for name, provider, description, address, contact in DEMO_OFFERS:
        if name not in existing:
            session.add(Offer(name=name, provider=provider, description=description, address=address,
                              contact=contact, active=True))
    session.flush()
