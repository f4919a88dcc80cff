"""Forms for the administrator: users and teams."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from server.teams.forms import Form

ROLE_LABELS = {"worker": _l("ICM-medarbejder"), "supervisor": _l("Teamleder"), "admin": _l("Administrator")}
MIN_PASSWORD = 12
# WTForms has no Danish catalogue: its built-in messages are given here in Danish.
PICK = _l("Vælg en af mulighederne på listen.")
CHOICE = {"invalid_value_message": PICK, "invalid_choice_message": PICK}
NUMBER = {"invalid_value_message": _l("Skriv et helt tal.")}


def optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class UserForm(Form):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv navnet.")), Length(max=200)])
    username = StringField(_l("Brugernavn"), validators=[
        DataRequired(_l("Skriv et brugernavn.")), Length(min=2, max=120),
        Regexp(r"^[a-zA-Z0-9._@-]+$", message=_l("Kun bogstaver a-z, tal og . _ @ -"))])
    role = SelectField(_l("Rolle"), **CHOICE, choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()],
                       validators=[InputRequired(_l("Vælg en rolle."))])
    team_id = SelectField(_l("Team"), coerce=optional_int, **CHOICE, choices=[], validators=[Optional()])
    email = StringField(_l("E-mail"), validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Skriv en gyldig e-mail.")), Length(max=200)])
    active = BooleanField(_l("Aktiv (kan logge ind)"), default=True)
    password = PasswordField(_l("Ny adgangskode (valgfri)"), validators=[
        Optional(), Length(min=MIN_PASSWORD, max=200,
                           message=_l("Adgangskoden skal være mindst %(n)s tegn.", n=MIN_PASSWORD))])

    def set_teams(self, teams):
        self.team_id.choices = [SelectChoice("", str(_l("Intet team")))] + [SelectChoice(t.id, t.name) for t in teams]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        # Optional() ends the team field's own chain when empty: the role rule lives here.
        if self.role.data in ("worker", "supervisor") and not self.team_id.data and not self.team_id.errors:
            self.team_id.errors = [_l("Medarbejdere og teamledere skal høre til et team.")]
            ok = False
        return ok


class TeamForm(Form):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv teamets navn.")), Length(max=200)])
    municipality = StringField(_l("Kommune"), validators=[DataRequired(_l("Skriv kommunen.")), Length(max=100)])
    meeting_cadence_days = IntegerField(_l("Teammøde hver ... dag"), default=7, **NUMBER, validators=[
        InputRequired(_l("Skriv et antal dage.")), NumberRange(1, 90, _l("Mellem 1 og 90 dage."))])
    supervision_cadence_days = IntegerField(_l("Supervision hver ... dag"), default=42, **NUMBER, validators=[
        InputRequired(_l("Skriv et antal dage.")), NumberRange(1, 365, _l("Mellem 1 og 365 dage."))])
