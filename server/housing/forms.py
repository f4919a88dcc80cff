"""Forms for housing events and the housing plan."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from server.housing.models import Situation
from server.housing.labels import CHECKLIST_LABELS, situation_choices
from server.localtime import local_today
from server.plans.forms import not_in_future, plausible_date


class HousingEventForm(FlaskForm):
    """From a date on, the citizen lives in a situation. `housed` is derived, never posted."""

    situation = SelectField(_l("Hvor bor borgeren nu?"), validate_choice=False)
    starts_on = DateField(_l("Fra dato"), default=local_today, validators=[
        DataRequired(_l("Skriv en gyldig dato.")), not_in_future, plausible_date])
    evicted = BooleanField(_l("Flytningen skyldes en udsættelse"))
    address = StringField(_l("Adresse eller sted (valgfri)"), validators=[Length(max=300)])
    note = TextAreaField(_l("Note (valgfri)"), validators=[Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.situation.choices = situation_choices()  # the template adds a blank first option

    def validate_situation(self, field):
        if field.data not in {s.value for s in Situation}:
            raise ValidationError(_l("Vælg en boligsituation."))


class HousingPlanForm(FlaskForm):
    interim_stay = StringField(_l("Hvor bor borgeren i mellemtiden?"), validators=[Length(max=300)])
    target = StringField(_l("Hvilken bolig arbejder vi hen imod?"), validators=[Length(max=300)])
    waiting_list = StringField(_l("Venteliste / boliganvisning"), validators=[Length(max=300)])
    expected_move_in_on = DateField(_l("Forventet indflytning"), validators=[Optional(), plausible_date])
    moving_in = BooleanField(_l("Borgeren er i indflytningsfasen"))
    deposit = BooleanField(CHECKLIST_LABELS["deposit"])
    deposit_loan = BooleanField(CHECKLIST_LABELS["deposit_loan"])
    betalingsservice = BooleanField(CHECKLIST_LABELS["betalingsservice"])
    rent_administration = BooleanField(CHECKLIST_LABELS["rent_administration"])
    moving_help = BooleanField(CHECKLIST_LABELS["moving_help"])
    furniture = BooleanField(CHECKLIST_LABELS["furniture"])
    note = TextAreaField(_l("Note (valgfri)"), validators=[Length(max=2000)])
