"""Translated labels for reminder sources and snooze presets (Danish first)."""
from flask_babel import lazy_gettext as _l

from server.localtime import Snooze
from server.reminders.models import ReminderSource

SOURCE_LABELS = {
    ReminderSource.MANUAL: _l("Påmindelse"),
    ReminderSource.FOLLOW_UP: _l("Opfølgning på aftale"),
    ReminderSource.CITIZEN_REQUEST: _l("Borgeren vil kontaktes"),
    ReminderSource.CITIZEN_ANSWER: _l("Svar fra borgeren"),
    ReminderSource.TEAM_DECISION: _l("Beslutning på teammøde"),
}

SNOOZE_LABELS = {
    Snooze.HOUR: _l("1 time"),
    Snooze.TOMORROW: _l("I morgen kl. 9"),
    Snooze.NEXT_WEEK: _l("Om en uge kl. 9"),
}


def source_label(source) -> str:
    return str(SOURCE_LABELS.get(source, source))
