"""Translated labels for the ICM life dimensions and citizen enums (Danish first)."""
from flask_babel import lazy_gettext as _l

# The 8 life dimensions of the ICM manual, in the manual's order.
LIFE_DIMENSIONS = [
    ("housing", "Bolig"),
    ("economy", "Økonomi"),
    ("social_network", "Socialt netværk"),
    ("daily_activities", "Daglige aktiviteter"),
    ("physical_health", "Fysisk helbred"),
    ("mental_health", "Psykisk helbred"),
    ("substance_use", "Misbrug"),
    ("education_work", "Uddannelses- og arbejdsmarkedskompetencer"),
]

DIMENSION_LABELS = {
    "housing": _l("Bolig"),
    "economy": _l("Økonomi"),
    "social_network": _l("Socialt netværk"),
    "daily_activities": _l("Daglige aktiviteter"),
    "physical_health": _l("Fysisk helbred"),
    "mental_health": _l("Psykisk helbred"),
    "substance_use": _l("Misbrug"),
    "education_work": _l("Uddannelses- og arbejdsmarkedskompetencer"),
}

SUPPORT_METHOD_LABELS = {"icm": _l("ICM"), "cti": _l("CTI"), "act": _l("ACT")}

END_REASON_LABELS = {
    "transfer_cti": _l("Overgang til CTI"),
    "transfer_85": _l("Overgang til bostøtte (§85)"),
    "no_longer_needed": _l("Har ikke længere brug for støtten"),
    "moved": _l("Fraflyttet kommunen"),
    "died": _l("Død"),
    "lost_contact": _l("Mistet kontakten"),
    "other": _l("Andet"),
}

CONTACT_WISH_LABELS = {
    "wants_contact": _l("Ønsker kontakt"),
    "through_citizen": _l("Kun gennem borgeren"),
    "no_contact": _l("Ønsker ikke kontakt"),
    "unsure": _l("Ved ikke endnu"),
}


def dimension_label(dimension) -> str:
    return str(DIMENSION_LABELS.get(dimension.key, dimension.name)) if dimension.key else dimension.name


def seed_dimensions(session) -> None:
    """Insert the 8 life dimensions if missing (tests, demo; the migration does it too)."""
    from sqlalchemy import select

    from server.citizens.models import Dimension

    existing = set(session.scalars(select(Dimension.key).where(Dimension.key.is_not(None))))
    for position, (key, name) in enumerate(LIFE_DIMENSIONS):
        if key not in existing:
            session.add(Dimension(key=key, name=name, position=position))
    session.flush()


# Short labels for the housing badge on caseload rows and the citizen page.
HOUSING_SITUATION_LABELS = {
    "street": _l("Gaden"),
    "night_shelter": _l("Natvarmestue"),
    "shelter_110": _l("Forsorgshjem (§110)"),
    "hotel_hostel": _l("Hotel/vandrerhjem"),
    "sofa_surfing": _l("Sofasurfer"),
    "transitional": _l("Midlertidig bolig"),
    "release_prison": _l("Løsladt uden bolig"),
    "discharge_hospital": _l("Udskrevet uden bolig"),
    "other_homeless": _l("Anden hjemløshed"),
    "rental_public": _l("Egen almen bolig"),
    "rental_private": _l("Egen privat lejebolig"),
    "at_risk": _l("Bolig i fare"),
    "residential_107": _l("Botilbud (§107)"),
    "residential_108": _l("Botilbud (§108)"),
    "skaeve_huse": _l("Skæve huse"),
}

# One wording per term across the app: these come from the packages that own them.
from server.appointments.labels import COUNTERPART_LABELS  # noqa: E402,F401
from server.offers.labels import STATUS_LABELS as OFFER_STATUS_LABELS  # noqa: E402,F401


def housing_label(situation) -> str:
    return str(HOUSING_SITUATION_LABELS.get(situation, situation or "")) if situation else ""


def mask_cpr(cpr: str | None) -> str:
    """CPR numbers are masked by default: DDMMYY-XXXX shows as DDMMYY-****."""
    if not cpr:
        return ""
    return cpr[:6] + "-****"
