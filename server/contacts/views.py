"""Log a contact on one screen, and record "tried, not reached" with one tap."""
from flask import Blueprint, url_for
from flask_babel import gettext as _
from flask_login import current_user

from server.access import get_citizen_or_404
from server.citizens.labels import dimension_label
from server.citizens.queries import dimensions_for_team
from server.contacts import operations
from server.contacts.forms import AttemptForm, ContactForm
from server.extensions import db
from server.htmx import render
from server.policy import WORKER
from server.sync.responses import entry_invalid, entry_saved

# Ids beyond the database integer range are 404, not an overflow error.
ID = "int(max=2147483647)"

bp = Blueprint("contacts", __name__)

POLICY = {
    "contacts.new": WORKER,
    "contacts.create": WORKER,
    "contacts.attempt": WORKER,
}


def contact_form(citizen) -> ContactForm:
    form = ContactForm()
    form.set_dimension_choices(db.session.scalars(dimensions_for_team(citizen.team_id)), dimension_label)
    return form


def saved(outcome, contact, citizen, message):
    return entry_saved(outcome, contact, redirect_to=url_for("citizens.show", citizen_id=citizen.id),
                       message=message)


def render_new(citizen, form, status=200):
    return render("contacts/new.html", "contacts/_form.html", status=status, citizen=citizen, form=form)


@bp.get(f"/citizens/<{ID}:citizen_id>/contacts/new")
def new(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    form = contact_form(citizen)
    form.occurred_at.render_kw = {"data-now": ""}  # the page's script sets it to the phone's now
    return render_new(citizen, form)


@bp.post(f"/citizens/<{ID}:citizen_id>/contacts")
def create(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    form = contact_form(citizen)
    if not form.validate():
        return entry_invalid(form, lambda status: render_new(citizen, form, status))
    outcome, contact = operations.log_contact(citizen, current_user, form)
    return saved(outcome, contact, citizen, _("Kontakten er gemt."))


@bp.post(f"/citizens/<{ID}:citizen_id>/attempts")
def attempt(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    form = AttemptForm()
    if not form.validate():
        return entry_invalid(form, lambda status: render(
            "contacts/attempt.html", status=status, citizen=citizen, form=form))
    outcome, contact = operations.log_attempt(citizen, current_user, form)
    return saved(outcome, contact, citizen, _("Forsøget er noteret. Det tæller ikke som kontakt."))
