"""The citizen's forms: their wishes, and their answer to an appointment."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, StopValidation, ValidationError

from server.appointments.models import CitizenAnswer

WISHES_MAX = 4000


def as_text(value):
    """JSON bodies can carry numbers or lists where a form field expects text."""
    return value if value is None or isinstance(value, str) else str(value)


def no_control_characters(form, field):
    # A NUL byte is malformed text (PostgreSQL refuses to store it): say so next to the field.
    if field.data and any(ord(ch) < 32 and ch not in "\n\r\t" for ch in field.data):
        raise ValidationError(_l("Teksten indeholder et tegn, der ikke kan gemmes."))


def sent(form, field):
    # An empty text box is a choice (no wishes written down); a missing field is a malformed post.
    if not field.raw_data:
        raise StopValidation(_l("Skriv dine ønsker i feltet."))


class WishesForm(FlaskForm):
    wishes = TextAreaField(
        _l("Mine ønsker og drømme"),
        filters=[as_text],
        validators=[sent, Length(max=WISHES_MAX, message=_l("Skriv højst %(max)d tegn.")), no_control_characters],
    )


class AnswerForm(FlaskForm):
    # Sent by one of two buttons (name="answer"): a plain field with a translated refusal.
    answer = StringField(
        _l("Dit svar"),
        filters=[as_text],
        validators=[DataRequired(_l("Vælg et svar.")),
                    AnyOf([a.value for a in CitizenAnswer], message=_l("Vælg et svar."))],
    )

    @property
    def citizen_answer(self) -> CitizenAnswer:
        return CitizenAnswer(self.answer.data)
