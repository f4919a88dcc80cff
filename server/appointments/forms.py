"""Forms for appointments and accompaniments, and for their outcome afterwards."""
from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from server.appointments.labels import COUNTERPART_LABELS
from server.appointments.models import Counterpart
from server.reminders.forms import TEXT_MAX, EntryForm, LocalDateField, LocalTimeField
from server.localtime import local_to_utc

NOTE_MAX = 2000


class AppointmentForm(EntryForm):
    counterpart = RadioField(
        _l("Med hvem?"),
        choices=[SelectChoice(c.value, COUNTERPART_LABELS[c]) for c in Counterpart],
        validators=[DataRequired(_l("Vælg, hvem aftalen er med."))],
        invalid_choice_message=_l("Vælg, hvem aftalen er med."),
    )
    title = StringField(_l("Hvad drejer det sig om?"), validators=[
        Optional(), Length(max=200, message=_l("Højst %(max)d tegn."))])
    date = LocalDateField(_l("Dato"), validators=[InputRequired(_l("Vælg en dato."))])
    starts = LocalTimeField(_l("Starter kl."), validators=[InputRequired(_l("Vælg et klokkeslæt."))])
    ends = LocalTimeField(_l("Slutter kl. (valgfrit)"), validators=[Optional()])
    location = StringField(_l("Hvor?"), validators=[Optional(), Length(max=300, message=_l("Højst %(max)d tegn."))])
    meeting_point = StringField(_l("Mødested (hvor vi mødes først)"), validators=[
        Optional(), Length(max=300, message=_l("Højst %(max)d tegn."))])
    accompanied = BooleanField(_l("Jeg ledsager borgeren"))
    note = TextAreaField(_l("Note til teamet (borgeren ser den ikke)"), validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("Højst %(max)d tegn."))])

    def validate_ends(self, field):
        if field.data and self.starts.data and field.data <= self.starts.data:
            raise ValidationError(_l("Sluttidspunktet skal ligge efter starttidspunktet."))

    @property
    def starts_at(self) -> datetime:
        return local_to_utc(self.date.data, self.starts.data)

    @property
    def ends_at(self) -> datetime | None:
        return local_to_utc(self.date.data, self.ends.data) if self.ends.data else None


class OutcomeForm(EntryForm):
    """Recorded right after the meeting, maybe offline: it can wait in the outbox too."""

    attended = RadioField(
        _l("Blev mødet holdt med borgeren?"),
        choices=[SelectChoice("yes", _l("Ja")), SelectChoice("no", _l("Nej"))],
        validators=[DataRequired(_l("Svar, om mødet blev holdt."))],
        invalid_choice_message=_l("Svar, om mødet blev holdt."),
    )
    worker_was_present = BooleanField(_l("Jeg var med til mødet"))
    outcome = TextAreaField(_l("Hvad kom der ud af det?"), validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("Højst %(max)d tegn."))])
    follow_up = TextAreaField(_l("Hvad skal følges op?"), validators=[
        Optional(), Length(max=TEXT_MAX, message=_l("Højst %(max)d tegn."))])
    make_reminder = BooleanField(_l("Gør opfølgningen til en påmindelse"))
    reminder_date = LocalDateField(_l("Påmindelse dato"), validators=[Optional()])
    reminder_time = LocalTimeField(_l("Påmindelse kl."), validators=[Optional()], default=time(9, 0))

    def validate(self, extra_validators=None):
        # Cross-field rules here: an Optional() field stops its own validator chain when empty.
        valid = super().validate(extra_validators)
        if self.make_reminder.data:
            if not (self.follow_up.data or "").strip():
                self.follow_up.errors.append(_l("Skriv, hvad der skal følges op, før det kan blive en påmindelse."))
                valid = False
            if not self.reminder_date.data and not self.reminder_date.errors:
                self.reminder_date.errors.append(_l("Vælg en dato for påmindelsen."))
                valid = False
        return valid

    @property
    def reminder_due_at(self) -> datetime | None:
        if not (self.make_reminder.data and self.reminder_date.data):
            return None
        return local_to_utc(self.reminder_date.data, self.reminder_time.data or time(9, 0))
