"""Translated labels for appointment counterparts and citizens' answers (Danish first)."""
from flask_babel import lazy_gettext as _l

from server.appointments.models import CitizenAnswer, Counterpart

COUNTERPART_LABELS = {
    Counterpart.JOBCENTER: _l("Jobcenter"),
    Counterpart.SOCIAL_CENTRE: _l("Socialcenter"),
    Counterpart.DOCTOR: _l("Læge"),
    Counterpart.PSYCHIATRY: _l("Psykiatri"),
    Counterpart.SUBSTANCE_TREATMENT: _l("Misbrugsbehandling"),
    Counterpart.BANK: _l("Bank"),
    Counterpart.HOUSING_ASSOCIATION: _l("Boligselskab"),
    Counterpart.OTHER: _l("Andet"),
}

ANSWER_LABELS = {
    CitizenAnswer.COMING: _l("Borgeren kommer"),
    CitizenAnswer.CANNOT_COME: _l("Borgeren kan ikke komme"),
}


def counterpart_label(counterpart) -> str:
    return str(COUNTERPART_LABELS.get(counterpart, counterpart))


def answer_label(answer) -> str:
    return str(ANSWER_LABELS.get(answer, answer)) if answer else ""
