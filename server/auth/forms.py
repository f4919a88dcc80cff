"""Log-in forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class PasswordLoginForm(FlaskForm):
    username = StringField(_l("Brugernavn"), validators=[DataRequired(_l("Skriv dit brugernavn.")), Length(max=120)])
    password = PasswordField(_l("Adgangskode"), validators=[DataRequired(_l("Skriv din adgangskode.")), Length(max=200)])


class EnrolmentCodeForm(FlaskForm):
    code = StringField(_l("Engangskode"), validators=[DataRequired(_l("Skriv koden fra din medarbejder.")), Length(max=20)])
