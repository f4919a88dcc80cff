"""The log-contact form (one screen, three taps) and the one-tap "tried, not reached" form."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateTimeLocalField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from server.contacts.labels import CONTACT_TYPE_LABELS, DURATION_PRESETS, PLACE_LABELS
from server.contacts.models import ContactType, Place
from server.db import utcnow
from server.sync.forms import CLOCK_SKEW, ClientEntryForm

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NOTE_MAX = 5000
FORM_PLACES = (Place.HOME, Place.STREET, Place.OFFICE, Place.CHOSEN, Place.OTHER)
ATTEMPT_PLACES = (Place.HOME, Place.STREET, Place.PHONE, Place.OTHER)


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes rendered one by one (as chips), not a <select multiple>."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def local_now() -> datetime:
    """Now in Copenhagen, to the minute, naive (what a datetime-local input shows)."""
    return utcnow().astimezone(COPENHAGEN).replace(second=0, microsecond=0, tzinfo=None)


def _int_or_none(value):
    if value in (None, ""):
        return None
    return int(value)


class ContactForm(ClientEntryForm):
    type = RadioField(_l("Slags kontakt"), default=ContactType.HOME_VISIT.value,
                      choices=[SelectChoice(k, v) for k, v in CONTACT_TYPE_LABELS.items()],
                      validators=[InputRequired(_l("Vælg hvilken slags kontakt det var."))])
    place = RadioField(_l("Sted"), default=Place.HOME.value,
                       choices=[SelectChoice(p.value, PLACE_LABELS[p.value]) for p in FORM_PLACES],
                       validators=[InputRequired(_l("Vælg hvor I mødtes."))])
    dimensions = MultiCheckboxField(_l("Det handlede om"), choices=[], coerce=int)
    note = TextAreaField(_l("Note (valgfri)"), validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("Noten må højst være %(max)d tegn."))])
    shared_with_citizen = BooleanField(_l("Del noten med borgeren"))
    occurred_at = DateTimeLocalField(_l("Tidspunkt"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                     default=local_now,
                                     validators=[DataRequired(_l("Skriv hvornår kontakten var."))])
    duration_minutes = RadioField(_l("Varighed"), coerce=_int_or_none,
                                  choices=[SelectChoice(m, _l("%(n)d min", n=m)) for m in DURATION_PRESETS],
                                  validators=[Optional()])

    def set_dimension_choices(self, dimensions, label):
        self.dimensions.choices = [SelectChoice(d.id, label(d)) for d in dimensions]

    def validate_occurred_at(self, field):
        if field.data and field.data.year < 2000:  # also keeps UTC conversion within range
            raise ValidationError(_l("Tidspunktet ser forkert ud."))
        if field.data and self.occurred_utc > utcnow() + CLOCK_SKEW:
            raise ValidationError(_l("Tidspunktet ligger i fremtiden."))

    @property
    def occurred_utc(self) -> datetime:
        """The visit's time: typed in Copenhagen time, stored as UTC."""
        return self.occurred_at.data.replace(tzinfo=COPENHAGEN).astimezone(UTC)


class AttemptForm(ClientEntryForm):
    """Tried, not reached: one tap; the place and a note are optional."""

    place = RadioField(_l("Hvor forsøgte du?"), coerce=str,
                       choices=[SelectChoice(p.value, PLACE_LABELS[p.value]) for p in ATTEMPT_PLACES],
                       # Blank means "not said": None, so Optional() never lets an unknown value through.
                       filters=[lambda v: (v or "").strip() or None], validators=[Optional()])
    note = TextAreaField(_l("Note (valgfri)"), validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("Noten må højst være %(max)d tegn."))])
