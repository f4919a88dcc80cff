"""Forms for the offers catalogue and a citizen's offers."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from server.offers.labels import PROVIDER_LABELS, STATUS_LABELS, STATUS_ORDER
from server.offers.models import Provider


class OfferForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv tilbuddets navn.")), Length(max=200)])
    provider = SelectField(_l("Udbyder"), choices=[SelectChoice(p.value, PROVIDER_LABELS[p]) for p in Provider],
                           invalid_choice_message=_l("Vælg en udbyder."),
                           validators=[DataRequired(_l("Vælg en udbyder."))])
    description = TextAreaField(_l("Beskrivelse"), validators=[Length(max=2000)])
    address = StringField(_l("Adresse"), validators=[Length(max=300)])
    contact = StringField(_l("Kontakt (telefon, e-mail, person)"), validators=[Length(max=300)])


class OfferEditForm(OfferForm):
    active = BooleanField(_l("Aktivt (kan vælges for borgere)"))


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class LinkOfferForm(FlaskForm):
    offer_id = SelectField(_l("Tilbud"), coerce=_optional_int, choices=[],
                           invalid_choice_message=_l("Vælg et tilbud, der er aktivt og ikke allerede valgt."),
                           validators=[DataRequired(_l("Vælg et tilbud."))])
    note = TextAreaField(_l("Note (valgfri)"), validators=[Length(max=2000)])


class OfferStatusForm(FlaskForm):
    status = RadioField(_l("Status"), choices=[SelectChoice(s.value, STATUS_LABELS[s]) for s in STATUS_ORDER],
                        invalid_choice_message=_l("Vælg en status."),
                        validators=[DataRequired(_l("Vælg en status."))])
    note = TextAreaField(_l("Note (valgfri)"), validators=[Length(max=2000)])
