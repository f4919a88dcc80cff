"""Translated labels for contact types and places (Danish first)."""
from flask_babel import lazy_gettext as _l

CONTACT_TYPE_LABELS = {
    "home_visit": _l("Hjemmebesøg"),
    "phone": _l("Telefon"),
    "met_elsewhere": _l("Mødt andetsteds"),
    "accompaniment": _l("Ledsagelse"),
    "outreach": _l("Opsøgende forsøg"),
}

PLACE_LABELS = {
    "home": _l("Hjemme"),
    "street": _l("Gaden"),
    "office": _l("Kontoret"),
    "chosen": _l("Sted borgeren valgte"),
    "other": _l("Andet"),
    "phone": _l("Telefon"),
}

DURATION_PRESETS = (15, 30, 60, 90)


def contact_type_label(value) -> str:
    return str(CONTACT_TYPE_LABELS.get(value, value))


def place_label(value) -> str:
    return str(PLACE_LABELS.get(value, value))
