"""Translated labels for the supervisor's pages: flags, outcome categories, fidelity criteria."""
from flask_babel import lazy_gettext as _l

FLAG_LABELS = {
    "new": _l("Ny borger"),
    "not_reached": _l("Ikke nået"),
    "eviction_risk": _l("Risiko for udsættelse"),
    "review_overdue": _l("Planen skal revideres"),
    "asked_for_contact": _l("Har bedt om kontakt"),
    "unassessed": _l("Dimensioner ikke afdækket"),
    "moving_in": _l("Indflytning"),
    "no_worker": _l("Ingen gennemgående medarbejder"),
    "other": _l("Andet"),
}

SORT_LABELS = {
    "name": _l("Navn"),
    "worker": _l("Medarbejder"),
    "last_contact": _l("Dage siden kontakt"),
    "contacts": _l("Kontakter (12 uger)"),
    "unassessed": _l("Ikke afdækket"),
}

OUTCOME_LABELS = {
    "housed": _l("Boligplaceret ved seneste registrering"),
    "lost_rehoused": _l("Mistet boligen og genhuset"),
    "lost_not_rehoused": _l("Mistet boligen, ikke genhuset"),
    "never_housed": _l("Aldrig boligplaceret"),
}

# The national evaluation of Housing First (ICM), in percent of citizens.
NATIONAL_REFERENCE = {"housed": 76, "lost_rehoused": 4, "lost_not_rehoused": 4, "never_housed": 16}

CRITERION_LABELS = {
    "one_primary_worker": _l("Én gennemgående medarbejder pr. borger"),
    "caseload": _l("Højst %(cap)s borgere pr. medarbejder"),
    "plan_reviewed": _l("Plan findes og er revideret inden for %(months)s måneder"),
    "all_dimensions": _l("Alle 8 livsdimensioner er afdækket"),
    "home_contacts": _l("Kontakter i hjemmet eller hvor borgeren ønsker"),
    "team_meetings": _l("Teammøder hver %(days)s. dag"),
    "supervision": _l("Supervision hver %(days)s. dag"),
    "outreach": _l("Borgere der ikke er nået, opsøges fortsat"),
}

SUPERVISION_KIND_LABELS = {"external": _l("Ekstern"), "internal": _l("Intern")}


def flag_label(flag: str) -> str:
    return str(FLAG_LABELS.get(flag, flag))
