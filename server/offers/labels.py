"""Translated labels for offer providers and a citizen's status with an offer."""
from flask_babel import lazy_gettext as _l

from server.offers.models import OfferStatus, Provider

PROVIDER_LABELS = {
    Provider.MUNICIPAL: _l("Kommunalt"),
    Provider.NGO: _l("Frivillig organisation"),
    Provider.PRIVATE: _l("Privat"),
    Provider.REGIONAL: _l("Regionalt"),
}

# The bridge into an offer, in order; a status may move either way, but is shown in this order.
STATUS_ORDER = (OfferStatus.IDENTIFIED, OfferStatus.CONTACTED, OfferStatus.ATTENDING, OfferStatus.ENDED)

STATUS_LABELS = {
    OfferStatus.IDENTIFIED: _l("Fundet"),
    OfferStatus.CONTACTED: _l("Kontaktet"),
    OfferStatus.ATTENDING: _l("Deltager"),
    OfferStatus.ENDED: _l("Afsluttet"),
}

STATUS_BADGES = {
    OfferStatus.IDENTIFIED: "badge-info",
    OfferStatus.CONTACTED: "badge-warn",
    OfferStatus.ATTENDING: "badge-ok",
    OfferStatus.ENDED: "badge-info",
}


def provider_label(value) -> str:
    return str(PROVIDER_LABELS.get(value, value))


def status_label(value) -> str:
    return str(STATUS_LABELS.get(value, value))
