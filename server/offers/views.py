"""Routes for the offers catalogue (administrator) and each citizen's offers (bridge-building)."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from server.access import get_citizen_or_404
from server.auth.models import Role
from server.errors import error_response
from server.extensions import db
from server.htmx import render
from server.offers import labels, operations, queries
from server.offers.forms import LinkOfferForm, OfferEditForm, OfferForm, OfferStatusForm
from server.offers.models import CitizenOffer, Offer
from server.policy import ADMIN, CASE_STAFF, WORKER

bp = Blueprint("offers", __name__)
# Ids above PostgreSQL's integer range would fail in the database (503); they are just 404.
ID = "int(max=2147483647)"

POLICY = {
    "offers.catalogue": ADMIN | CASE_STAFF,
    "offers.create": ADMIN,
    "offers.edit": ADMIN,
    "offers.update": ADMIN,
    "offers.citizen": CASE_STAFF,
    "offers.link": WORKER,
    "offers.status": WORKER,
}


@bp.context_processor
def template_helpers():
    return {"provider_label": labels.provider_label, "status_label": labels.status_label,
            "status_order": labels.STATUS_ORDER, "status_badges": labels.STATUS_BADGES}


# --- Catalogue (administrator) -----------------------------------------------------------------

def _catalogue_page(form=None, status=200):
    is_admin = current_user.role == Role.ADMIN
    offers = db.session.scalars(queries.catalogue(include_inactive=is_admin)).all()
    return render("offers/catalogue.html", status=status, offers=offers, is_admin=is_admin,
                  form=form or (OfferForm(formdata=None) if is_admin else None))


@bp.get("/offers")
def catalogue():
    return _catalogue_page()


@bp.post("/offers")
def create():
    form = OfferForm()
    if not form.validate():
        return _catalogue_page(form, status=422)
    offer = operations.create_offer(form.data)
    flash(_("Tilbuddet »%(name)s« er oprettet.", name=offer.name))
    return redirect(url_for("offers.catalogue"))


def _offer_or_404(offer_id):
    offer = db.session.get(Offer, offer_id)
    if offer is None:
        abort(404)
    return offer


@bp.get(f"/offers/<{ID}:offer_id>")
def edit(offer_id):
    offer = _offer_or_404(offer_id)
    return render("offers/edit.html", offer=offer, form=OfferEditForm(formdata=None, obj=offer))


@bp.post(f"/offers/<{ID}:offer_id>")
def update(offer_id):
    offer = _offer_or_404(offer_id)
    form = OfferEditForm()
    if not form.validate():
        return render("offers/edit.html", status=422, offer=offer, form=form)
    operations.update_offer(offer, form.data)
    flash(_("Tilbuddet er gemt.") if offer.active else _("Tilbuddet er gemt og deaktiveret."))
    return redirect(url_for("offers.catalogue"))


# --- A citizen's offers -----------------------------------------------------------------------

def _link_form(citizen, formdata=True):
    form = LinkOfferForm() if formdata else LinkOfferForm(formdata=None)
    choices = [SelectChoice(str(o.id), o.name) for o in db.session.scalars(queries.linkable_offers(citizen.id))]
    form.offer_id.choices = [SelectChoice("", _("Vælg tilbud"))] + choices
    return form


def _citizen_page(citizen, *, link_form=None, failed=None, status=200):
    rows = db.session.scalars(queries.citizen_offers(citizen.id)).all()
    status_forms = {row.id: OfferStatusForm(prefix=f"o{row.id}", formdata=None, status=str(row.status),
                                            note=row.note) for row in rows}
    if failed:
        status_forms[failed[0]] = failed[1]
    return render("offers/citizen.html", status=status, citizen=citizen, rows=rows, status_forms=status_forms,
                  link_form=link_form or _link_form(citizen, formdata=False),
                  can_write=current_user.role == Role.WORKER)


@bp.get(f"/citizens/<{ID}:citizen_id>/offers")
def citizen(citizen_id):
    return _citizen_page(get_citizen_or_404(citizen_id))


@bp.post(f"/citizens/<{ID}:citizen_id>/offers")
def link(citizen_id):
    citizen = get_citizen_or_404(citizen_id)
    form = _link_form(citizen)
    if not form.validate():
        return _citizen_page(citizen, link_form=form, status=422)
    row = operations.link_offer(citizen, db.session.get(Offer, form.offer_id.data), form.note.data)
    flash(_("»%(name)s« er tilføjet.", name=row.offer.name))
    return redirect(url_for("offers.citizen", citizen_id=citizen.id))


@bp.post(f"/citizens/<{ID}:citizen_id>/offers/<{ID}:citizen_offer_id>")
def status(citizen_id, citizen_offer_id):
    row = db.session.get(CitizenOffer, citizen_offer_id)
    if row is None:
        return error_response(404)
    citizen = get_citizen_or_404(row.citizen_id)
    if citizen.id != citizen_id:  # a visible citizen's link reached through another citizen's URL
        return error_response(404)
    form = OfferStatusForm(prefix=f"o{row.id}")
    if not form.validate():
        return _citizen_page(citizen, failed=(row.id, form), status=422)
    operations.set_status(row, form.status.data, form.note.data)
    flash(_("Status for »%(name)s« er nu %(status)s.", name=row.offer.name, status=labels.status_label(row.status)))
    return redirect(url_for("offers.citizen", citizen_id=citizen.id, _anchor=f"offer-{row.id}"))
