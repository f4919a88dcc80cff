"""Forms for a new citizen (intake) and the people in the citizen's network."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from server.citizens.labels import CONTACT_WISH_LABELS, SUPPORT_METHOD_LABELS
from server.citizens.models import ContactWish, SupportMethod
from server.localtime import local_today

CPR_PATTERN = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d{4})$")
PHONE_PATTERN = re.compile(r"^[0-9+() -]{4,40}$")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _born_by_this_year(form, field):
    """1900 up to the current year, read when the form is checked (not when the module loaded)."""
    NumberRange(min=1900, max=local_today().year,
                message=_l("Skriv et årstal mellem %(min)s og %(max)s."))(form, field)


def _phone(form, field):
    if field.data and not PHONE_PATTERN.match(field.data):
        raise ValidationError(_l("Skriv et telefonnummer med cifre, fx 12 34 56 78."))


class CitizenForm(FlaskForm):
    first_name = StringField(_l("Fornavn"), filters=[_strip], validators=[
        DataRequired(_l("Skriv borgerens fornavn.")), Length(max=100)])
    last_name = StringField(_l("Efternavn"), filters=[_strip], validators=[
        DataRequired(_l("Skriv borgerens efternavn.")), Length(max=100)])
    preferred_name = StringField(_l("Kaldenavn (valgfrit)"), filters=[_strip], validators=[Optional(), Length(max=100)])
    birth_year = IntegerField(_l("Fødselsår (valgfrit)"), validators=[Optional(), _born_by_this_year])
    cpr = StringField(_l("CPR-nummer (valgfrit)"), filters=[_strip], validators=[Optional()])
    phone = StringField(_l("Telefon (valgfrit)"), filters=[_strip], validators=[Optional(), Length(max=40), _phone])
    support_method = RadioField(_l("Støttemetode"), default=SupportMethod.ICM.value,
                                choices=[SelectChoice(k, v) for k, v in SUPPORT_METHOD_LABELS.items()],
                                validators=[InputRequired(_l("Vælg en støttemetode."))])
    started_on = DateField(_l("Startdato"), default=local_today,
                           validators=[DataRequired(_l("Skriv en gyldig dato."))])
    # Only for a supervisor: which worker, and the reason for going above the caseload cap.
    worker_id = SelectField(_l("ICM-medarbejder"), coerce=int, choices=[], validate_choice=True)
    override_reason = TextAreaField(_l("Begrundelse for at gå over loftet (kun teamleder)"),
                                    filters=[_strip], validators=[Optional(), Length(max=1000)])

    def validate_cpr(self, field):
        """DDMMYY-XXXX with a real day and month; stored in that form."""
        match = CPR_PATTERN.match(field.data or "")
        if not match:
            raise ValidationError(_l("Skriv CPR-nummeret som DDMMÅÅ-XXXX."))
        day, month = int(match.group(1)), int(match.group(2))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            raise ValidationError(_l("CPR-nummerets dato findes ikke."))
        field.data = f"{match.group(1)}{match.group(2)}{match.group(3)}-{match.group(4)}"

    def validate_started_on(self, field):
        if field.data and field.data.year < 1990:
            raise ValidationError(_l("Startdatoen ser forkert ud."))


class NetworkPersonForm(FlaskForm):
    name = StringField(_l("Navn"), filters=[_strip], validators=[DataRequired(_l("Skriv personens navn.")), Length(max=200)])
    relation = StringField(_l("Relation"), filters=[_strip], description=_l("Fx mor, bror, ven, nabo, præst"),
                           validators=[DataRequired(_l("Skriv hvem personen er for borgeren.")), Length(max=100)])
    phone = StringField(_l("Telefon (valgfrit)"), filters=[_strip], validators=[Optional(), Length(max=40), _phone])
    contact_wish = RadioField(_l("Borgerens ønske om kontakt"), default=ContactWish.UNSURE.value,
                              choices=[SelectChoice(k, v) for k, v in CONTACT_WISH_LABELS.items()],
                              validators=[InputRequired(_l("Vælg borgerens ønske."))])
    note = TextAreaField(_l("Note (valgfri)"), filters=[_strip], validators=[Optional(), Length(max=2000)])
