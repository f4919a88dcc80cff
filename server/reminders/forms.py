"""Forms for reminders: new reminder (outbox-able), done and snooze."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields import DateField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from server.reminders.labels import SNOOZE_LABELS
from server.localtime import Snooze, local_to_utc
from server.sync.forms import ClientEntryForm

TEXT_MAX = 500
MAX_ID = 2**31 - 1


class LocalDateField(DateField):
    """<input type=date>, with a translated message for a date that cannot be read."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0]:
            self.data = None
            return
        try:
            self.data = datetime.strptime(valuelist[0].strip(), "%Y-%m-%d").date()
        except ValueError:
            self.data = None
            raise ValueError(_l("Skriv datoen som åååå-mm-dd."))


class LocalTimeField(TimeField):
    """<input type=time> (HH:MM, seconds allowed), with a translated message."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0]:
            self.data = None
            return
        raw = valuelist[0].strip()
        for pattern in ("%H:%M", "%H:%M:%S"):
            try:
                self.data = datetime.strptime(raw, pattern).time().replace(second=0)
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError(_l("Skriv klokkeslættet som tt:mm."))


class EntryForm(ClientEntryForm):
    """Base of this package's forms (and appointments'). Bodies other than form posts
    never reach them: server.security.check_request_body refuses those first."""


def parse_citizen_id(raw) -> int | None:
    """The optional citizen of a reminder: empty means none; anything else must be an id."""
    if raw in (None, "", "None"):
        return None
    value = int(str(raw))  # ValueError for junk
    if not 0 < value <= MAX_ID:  # beyond PostgreSQL's integer: no such row, and no overflow error
        raise ValueError("not an id")
    return value


class ReminderForm(EntryForm):
    text = TextAreaField(_l("Hvad skal du huske?"), validators=[
        DataRequired(_l("Skriv, hvad påmindelsen handler om.")),
        Length(max=TEXT_MAX, message=_l("Højst %(max)d tegn.")),
    ])
    # Choices are the worker's own citizens, filled in by the view; the access check
    # itself is get_citizen_or_404 in the view, not the choice list.
    citizen_id = SelectField(_l("Borger"), choices=[], validate_choice=False)
    due_date = LocalDateField(_l("Dato"), validators=[InputRequired(_l("Vælg en dato."))])
    due_time = LocalTimeField(_l("Klokkeslæt"), validators=[InputRequired(_l("Vælg et klokkeslæt."))])

    def validate_citizen_id(self, field):
        try:
            parse_citizen_id(field.data)
        except ValueError:
            raise ValidationError(_l("Vælg en borger fra listen."))

    @property
    def citizen(self) -> int | None:
        return parse_citizen_id(self.citizen_id.data)

    @property
    def due_at(self) -> datetime:
        return local_to_utc(self.due_date.data, self.due_time.data)


class DoneForm(EntryForm):
    """Marking a reminder done can wait in the outbox too; its time is the phone's."""


class SnoozeForm(EntryForm):
    preset = RadioField(
        _l("Udsæt til"),
        choices=[SelectChoice(key, SNOOZE_LABELS[key]) for key in Snooze.ALL],
        validate_choice=False,
    )

    def validate_preset(self, field):
        # wtforms' own "Not a valid choice" has no Danish catalogue: say it ourselves.
        if field.data not in Snooze.ALL:
            raise ValidationError(_l("Vælg, hvor længe påmindelsen skal udsættes."))
