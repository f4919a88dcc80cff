"""Translated labels for the plan and the assessment (dimension names live in citizens.labels)."""
from flask_babel import lazy_gettext as _l

from server.citizens.labels import dimension_label  # noqa: F401  (one place to import it from)

PLAN_FIELD_LABELS = {
    "review_on": _l("Næste opfølgning"),
    "reviewed_on": _l("Gennemgået med borgeren"),
    "section_141_reference": _l("§141-handleplan"),
    "caseworker_name": _l("Myndighedssagsbehandler"),
    "caseworker_contact": _l("Sagsbehandlerens kontakt"),
}
