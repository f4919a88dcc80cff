"""Reads for the offers catalogue and each citizen's offers."""
from sqlalchemy import case, select
from sqlalchemy.orm import contains_eager

from server.offers.labels import STATUS_ORDER
from server.offers.models import CitizenOffer, Offer


def catalogue(include_inactive: bool = False):
    statement = select(Offer).order_by(Offer.active.desc(), Offer.name)
    return statement if include_inactive else statement.where(Offer.active.is_(True))


def citizen_offers(citizen_id: int):
    """The citizen's offers in the order of the bridge (identified → ended), then by name."""
    step = case({status.value: i for i, status in enumerate(STATUS_ORDER)}, value=CitizenOffer.status, else_=99)
    return (
        select(CitizenOffer)
        .join(CitizenOffer.offer)
        .options(contains_eager(CitizenOffer.offer))
        .where(CitizenOffer.citizen_id == citizen_id)
        .order_by(step, Offer.name)
    )


def linkable_offers(citizen_id: int):
    """Active offers the citizen is not already linked to."""
    linked = select(CitizenOffer.offer_id).where(CitizenOffer.citizen_id == citizen_id)
    return catalogue().where(Offer.id.not_in(linked))
