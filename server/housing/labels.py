"""Translated labels for housing situations, outcomes and the move-in checklist."""
from flask_babel import lazy_gettext as _l

from server.housing.models import HOUSED, Situation

SITUATION_LABELS = {
    Situation.STREET: _l("Gaden"),
    Situation.NIGHT_SHELTER: _l("Natvarmestue / natherberg"),
    Situation.SHELTER_110: _l("Herberg / forsorgshjem (§110)"),
    Situation.HOTEL_HOSTEL: _l("Hotel / vandrerhjem"),
    Situation.SOFA_SURFING: _l("Hos familie eller venner (sofasurfer)"),
    Situation.TRANSITIONAL: _l("Midlertidig bolig / udslusning"),
    Situation.RELEASE_PRISON: _l("Løsladt fra fængsel uden bolig"),
    Situation.DISCHARGE_HOSPITAL: _l("Udskrevet fra hospital / behandling uden bolig"),
    Situation.OTHER_HOMELESS: _l("Anden hjemløshed"),
    Situation.RENTAL_PUBLIC: _l("Egen lejebolig, almen"),
    Situation.RENTAL_PRIVATE: _l("Egen lejebolig, privat"),
    Situation.AT_RISK: _l("Egen bolig, i risiko for at miste den"),
    Situation.RESIDENTIAL_107: _l("Midlertidigt botilbud (§107)"),
    Situation.RESIDENTIAL_108: _l("Længerevarende botilbud (§108)"),
    Situation.SKAEVE_HUSE: _l("Skæve huse"),
}

GROUP_LABELS = {"homeless": _l("Uden bolig"), "housed": _l("Har bolig")}

OUTCOME_LABELS = {
    "housed_at_end": _l("Har bolig"),
    "lost_and_rehoused": _l("Mistede boligen, genhuset"),
    "lost_not_rehoused": _l("Mistede boligen, ikke genhuset"),
    "never_housed": _l("Aldrig fået bolig"),
}

CHECKLIST = ("deposit", "deposit_loan", "betalingsservice", "rent_administration", "moving_help", "furniture")

CHECKLIST_LABELS = {
    "deposit": _l("Indskud betalt"),
    "deposit_loan": _l("Indskudslån bevilget"),
    "betalingsservice": _l("Husleje på Betalingsservice"),
    "rent_administration": _l("Huslejeadministration aftalt"),
    "moving_help": _l("Hjælp til flytning"),
    "furniture": _l("Møbler og inventar"),
}


def situation_label(value) -> str:
    try:
        return str(SITUATION_LABELS[Situation(value)])
    except ValueError:
        return str(value)


def badge_class(situation) -> str:
    """ok = housed, warn = housed but at risk, bad = homeless."""
    if situation is None:
        return "badge-info"
    if situation == Situation.AT_RISK:
        return "badge-warn"
    return "badge-ok" if situation in HOUSED else "badge-bad"


def situation_choices() -> dict:
    """Grouped choices (optgroups): the homeless categories, then the housed ones."""
    homeless = [(s.value, SITUATION_LABELS[s]) for s in Situation if s not in HOUSED]
    housed = [(s.value, SITUATION_LABELS[s]) for s in Situation if s in HOUSED]
    return {str(GROUP_LABELS["homeless"]): homeless, str(GROUP_LABELS["housed"]): housed}
