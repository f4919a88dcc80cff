"""Forms for the needs assessment and the plan (many goals and actions in one form)."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, FieldList, Form, FormField, HiddenField, SelectField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from server.citizens.labels import dimension_label
from server.localtime import local_today

EARLIEST = date(1950, 1, 1)
MAX_ROWS = 60  # goals or actions in one plan; more is a malformed request


def not_in_future(form, field):
    if field.data and field.data > local_today():
        raise ValidationError(_l("Datoen må ikke ligge i fremtiden."))


def plausible_date(form, field):
    """Catch typos such as year 202 or 20255 that the date parser accepts."""
    if field.data and not (EARLIEST <= field.data <= local_today() + timedelta(days=365 * 10)):
        raise ValidationError(_l("Datoen ser forkert ud. Tjek årstallet."))


def optional_int(value):
    if value in (None, ""):
        return None
    return int(value)


def dimension_choices(dimensions, blank: str | None = None) -> list:
    choices = [SelectChoice(str(d.id), dimension_label(d)) for d in dimensions]
    return ([SelectChoice("", blank)] if blank else []) + choices


# --- Assessment -----------------------------------------------------------------------------

class AssessmentForm(FlaskForm):
    """One dimension's assessment; the page prefixes each dimension's form so ids stay unique."""

    assessed_on = DateField(_l("Dato"), default=local_today,
                            validators=[DataRequired(_l("Skriv en gyldig dato.")), not_in_future, plausible_date])
    citizen_words = TextAreaField(_l("Med borgerens egne ord"), validators=[Length(max=4000)])
    worker_notes = TextAreaField(_l("Medarbejderens noter"), validators=[Length(max=4000)])

    def validate_citizen_words(self, field):
        if not (field.data or "").strip() and not (self.worker_notes.data or "").strip():
            raise ValidationError(_l("Skriv borgerens egne ord eller dine noter."))


class DimensionForm(FlaskForm):
    name = StringField(_l("Nyt livsområde"), validators=[DataRequired(_l("Skriv et navn.")), Length(max=100)])
    citizen_id = HiddenField()


# --- Plan -----------------------------------------------------------------------------------

KEY = [Optional(), Regexp(r"^[0-9a-f]{1,32}$", message=_l("Ugyldig nøgle."))]


class _Row(Form):
    """A goal or action row: removed and untouched rows are skipped, not validated."""

    key = HiddenField(validators=KEY)
    remove = BooleanField(_l("Fjern"))

    def is_blank(self) -> bool:
        return all(not (self[name].raw_data and str(self[name].raw_data[0]).strip())
                   for name in self.CONTENT)

    def skipped(self) -> bool:
        return bool(self.remove.data) or self.is_blank()

    def validate(self, extra_validators=None):
        if self.skipped():
            return True
        return super().validate(extra_validators)


class GoalForm(_Row):
    CONTENT = ("dimension_id", "citizen_words", "worker_note")

    dimension_id = SelectField(_l("Livsområde"), coerce=optional_int, choices=[],
                               invalid_choice_message=_l("Vælg et livsområde."), validators=[DataRequired(_l("Vælg et livsområde."))])
    citizen_words = TextAreaField(_l("Målet med borgerens egne ord"), validators=[
        DataRequired(_l("Skriv målet med borgerens egne ord.")), Length(max=2000)])
    worker_note = TextAreaField(_l("Medarbejderens note (valgfri)"), validators=[Length(max=2000)])


class ActionForm(_Row):
    CONTENT = ("who", "what", "due_on")

    who = StringField(_l("Hvem"), validators=[DataRequired(_l("Skriv hvem der gør det.")), Length(max=200)])
    what = TextAreaField(_l("Hvad"), validators=[DataRequired(_l("Skriv hvad der skal gøres.")), Length(max=1000)])
    due_on = DateField(_l("Senest (valgfri)"), validators=[Optional(), plausible_date])
    done = BooleanField(_l("Udført"))
    dimension_id = SelectField(_l("Livsområde (valgfrit)"), coerce=optional_int, choices=[],
                               invalid_choice_message=_l("Vælg et livsområde."))


class PlanForm(FlaskForm):
    # The version the form was opened from: saving on top of a newer one is refused once.
    # Stripped first: Optional() lets a blank " " through unchecked, and the view reads it as a number.
    base_version = HiddenField(filters=[lambda v: v.strip() if isinstance(v, str) else v],
                               validators=[Optional(), Regexp(r"^[0-9]{1,6}$")])
    goals = FieldList(FormField(GoalForm), max_entries=MAX_ROWS)
    actions = FieldList(FormField(ActionForm), max_entries=MAX_ROWS)
    review_on = DateField(_l("Næste opfølgning med borgeren"), validators=[Optional(), plausible_date])
    reviewed = BooleanField(_l("Vi har gennemgået planen sammen i dag"))
    section_141_reference = StringField(_l("§141-handleplan (reference)"), validators=[Length(max=200)])
    caseworker_name = StringField(_l("Myndighedssagsbehandlerens navn"), validators=[Length(max=200)])
    caseworker_contact = StringField(_l("Sagsbehandlerens telefon eller e-mail"), validators=[Length(max=200)])
    change_note = TextAreaField(_l("Hvad er ændret, og hvorfor? (valgfri)"), validators=[Length(max=2000)])

    def set_dimensions(self, dimensions) -> None:
        goal_choices = dimension_choices(dimensions, blank=str(_l("Vælg livsområde")))
        action_choices = dimension_choices(dimensions, blank=str(_l("Intet bestemt")))
        for row in self.goals:
            row.form.dimension_id.choices = goal_choices
        for row in self.actions:
            row.form.dimension_id.choices = action_choices

    @classmethod
    def from_plan(cls, plan):
        if plan is None:
            return cls(data={"goals": [{}], "actions": [], "base_version": "0"})
        return cls(data={
            "base_version": str(plan.version),
            "goals": [{"key": g.key, "dimension_id": g.dimension_id, "citizen_words": g.citizen_words,
                       "worker_note": g.worker_note} for g in plan.goals],
            "actions": [{"key": a.key, "dimension_id": a.dimension_id, "who": a.who, "what": a.what,
                         "due_on": a.due_on, "done": a.done} for a in plan.actions],
            "review_on": plan.review_on,
            "section_141_reference": plan.section_141_reference,
            "caseworker_name": plan.caseworker_name,
            "caseworker_contact": plan.caseworker_contact,
        })

    def to_data(self) -> dict:
        """Plain data for operations.save_plan_version (removed and empty rows left out)."""
        keep = lambda rows: [row.form for row in rows if not row.form.skipped()]  # noqa: E731
        return {
            "goals": [{"key": f.key.data, "dimension_id": f.dimension_id.data,
                       "citizen_words": f.citizen_words.data, "worker_note": f.worker_note.data}
                      for f in keep(self.goals)],
            "actions": [{"key": f.key.data, "dimension_id": f.dimension_id.data, "who": f.who.data,
                         "what": f.what.data, "due_on": f.due_on.data, "done": f.done.data}
                        for f in keep(self.actions)],
            "review_on": self.review_on.data,
            "reviewed": self.reviewed.data,
            "section_141_reference": self.section_141_reference.data,
            "caseworker_name": self.caseworker_name.data,
            "caseworker_contact": self.caseworker_contact.data,
            "change_note": self.change_note.data,
        }
