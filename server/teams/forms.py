"""Forms for the supervisor: course changes, agenda decisions, supervision, periods."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from server.citizens.labels import END_REASON_LABELS
from server.housing.models import Situation
from server.localtime import local_today
from server.teams.labels import SUPERVISION_KIND_LABELS

REQUIRED_DATE = _l("Skriv en gyldig dato.")
PICK = _l("Vælg en af mulighederne på listen.")
# WTForms has no Danish catalogue: every built-in message is given here in Danish.
DATE = {"invalid_value_message": REQUIRED_DATE}
CHOICE = {"invalid_value_message": PICK, "invalid_choice_message": PICK}


class Form(FlaskForm):
    """A JSON body's odd value types become text first: bad input is a 422, never a 500."""


def situation_labels() -> dict:
    try:
        from server.housing.labels import SITUATION_LABELS  # the housing helper's labels, when present
    except ImportError:
        return {}
    return SITUATION_LABELS


def situation_label(value: str | None) -> str:
    return str(situation_labels().get(value, value or "–"))


def situation_choices():
    return [SelectChoice(s.value, situation_label(s.value)) for s in Situation]


class ReassignForm(Form):
    worker_id = SelectField(_l("Ny gennemgående medarbejder"), coerce=int, **CHOICE,
                            validators=[InputRequired(_l("Vælg en medarbejder."))])
    reason = TextAreaField(_l("Begrundelse"), validators=[DataRequired(_l("Skriv en begrundelse.")),
                                                          Length(max=2000)])
    override_reason = TextAreaField(_l("Begrundelse for at gå over loftet (kun hvis nødvendigt)"),
                                    validators=[Optional(), Length(max=2000)])


class SubstitutionForm(Form):
    substitute_id = SelectField(_l("Vikar"), coerce=int, **CHOICE, validators=[InputRequired(_l("Vælg en vikar."))])
    starts_on = DateField(_l("Fra"), **DATE, validators=[InputRequired(REQUIRED_DATE)])
    ends_on = DateField(_l("Til og med"), **DATE, validators=[InputRequired(REQUIRED_DATE)])
    reason = StringField(_l("Årsag"), validators=[DataRequired(_l("Skriv en årsag, fx ferie eller sygdom.")),
                                                  Length(max=500)])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("Slutdatoen skal ligge efter startdatoen."))
        if self.starts_on.data and field.data and field.data - self.starts_on.data > timedelta(days=366):
            raise ValidationError(_l("En vikaraftale kan højst vare et år."))

    def validate_starts_on(self, field):
        if field.data and field.data < local_today() - timedelta(days=1):
            raise ValidationError(_l("En vikaraftale kan ikke starte i fortiden."))


class EndCourseForm(Form):
    ended_on = DateField(_l("Slutdato"), **DATE, validators=[InputRequired(REQUIRED_DATE)])
    reason = RadioField(_l("Årsag til afslutning"), **CHOICE,
                        choices=[SelectChoice(k, v) for k, v in END_REASON_LABELS.items()],
                        validators=[InputRequired(_l("Vælg en årsag."))])
    housing_situation = SelectField(_l("Boligsituation ved afslutning"), **CHOICE,
                                    validators=[InputRequired(_l("Vælg boligsituationen."))])
    confirm = BooleanField(_l("Jeg bekræfter, at forløbet afsluttes, og medarbejderen mister adgangen"),
                           validators=[DataRequired(_l("Bekræft afslutningen."))])

    def __init__(self, *args, started_on: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.housing_situation.choices = situation_choices()
        self._started_on = started_on

    def validate_ended_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("Slutdatoen kan ikke ligge i fremtiden."))
        if field.data and self._started_on and field.data < self._started_on:
            raise ValidationError(_l("Slutdatoen ligger før forløbets start."))


class AgendaNotesForm(Form):
    """An agenda item that already has its reminder: the page offers only the notes, and a post
    is read for the notes only (reminder fields sent anyway are ignored, not half-validated)."""
    discussion = TextAreaField(_l("Drøftelse"), validators=[Optional(), Length(max=4000)])
    decision = TextAreaField(_l("Beslutning"), validators=[Optional(), Length(max=2000)])


def agenda_form(item, **kwargs) -> AgendaNotesForm:
    """The form for an agenda item: with the reminder fields until the item has its reminder."""
    return (AgendaNotesForm if item.reminder_id else AgendaItemForm)(prefix=f"item{item.id}", **kwargs)


class AgendaItemForm(AgendaNotesForm):
    make_reminder = BooleanField(_l("Lav en påmindelse til den gennemgående medarbejder"))
    reminder_due = DateField(_l("Påmindelse den"), **DATE, validators=[Optional()])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        # Optional() stops the field's own chain on an empty date, so the "required if" lives here.
        if self.make_reminder.data and not self.reminder_due.data and not self.reminder_due.errors:
            self.reminder_due.errors = [_l("Vælg en dato for påmindelsen.")]
            ok = False
        if self.make_reminder.data and not (self.decision.data or "").strip() and not self.decision.errors:
            self.decision.errors = [_l("Skriv beslutningen, som påmindelsen skal handle om.")]
            ok = False
        return ok

    def validate_reminder_due(self, field):
        if self.make_reminder.data and field.data and field.data < local_today():
            raise ValidationError(_l("Datoen for påmindelsen ligger i fortiden."))


class SupervisionForm(Form):
    held_on = DateField(_l("Dato"), **DATE, validators=[InputRequired(REQUIRED_DATE)])
    kind = RadioField(_l("Type"), **CHOICE, choices=[SelectChoice(k, v) for k, v in SUPERVISION_KIND_LABELS.items()],
                      default="external", validators=[InputRequired(_l("Vælg typen."))])
    supervisor_name = StringField(_l("Supervisor"), validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Noter"), validators=[Optional(), Length(max=4000)])

    def validate_held_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("Datoen kan ikke ligge i fremtiden."))
