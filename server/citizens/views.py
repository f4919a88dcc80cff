"""The caseload, the citizen page, intake of a new citizen, the citizen's network, and the
complete copy of the record for an access request (GDPR art. 15) the municipality handles."""
import json

from flask import Blueprint, Response, abort, current_app, redirect, url_for
from flask_login import current_user

from wtforms.fields.choices import SelectChoice

from server.access import get_citizen_or_404, visible_citizens_clause
from server.audit import operations as audit
from server.auth.models import Role, User
from server.citizens import labels, operations, queries
from server.citizens.forms import CitizenForm, NetworkPersonForm
from server.citizens.models import NetworkPerson
from server.contacts import labels as contact_labels
from server.contacts.forms import AttemptForm
from server.db import utcnow
from server.extensions import db
from server.htmx import render
from server.policy import CASE_STAFF, SUPERVISOR
from server.portal.export import export_citizen

# Ids beyond the database integer range are 404, not an overflow error.
ID = "int(max=2147483647)"

bp = Blueprint("citizens", __name__)

POLICY = {
    "citizens.index": CASE_STAFF,
    "citizens.show": CASE_STAFF,
    "citizens.new": CASE_STAFF,
    "citizens.create": CASE_STAFF,
    "citizens.network": CASE_STAFF,
    "citizens.network_create": CASE_STAFF,
    "citizens.network_update": CASE_STAFF,
    "citizens.export_complete": SUPERVISOR,
}

# Labels as filters, so every worker template words enums the same way.
for _name, _fn in {
    "cpr_masked": labels.mask_cpr,
    "housing_label": labels.housing_label,
    "dimension_label": labels.dimension_label,
    "offer_status_label": lambda v: str(labels.OFFER_STATUS_LABELS.get(v, v)),
    "counterpart_label": lambda v: str(labels.COUNTERPART_LABELS.get(v, v)),
    "contact_wish_label": lambda v: str(labels.CONTACT_WISH_LABELS.get(v, v)),
    "support_method_label": lambda v: str(labels.SUPPORT_METHOD_LABELS.get(v, v)),
    "contact_type_label": contact_labels.contact_type_label,
    "place_label": contact_labels.place_label,
}.items():
    bp.add_app_template_filter(_fn, _name)


@bp.get("/citizens")
def index():
    now = utcnow()
    is_worker = current_user.role == Role.WORKER
    statement = queries.caseload(visible_citizens_clause(current_user, now), now,
                                 worker_id=current_user.id if is_worker else None)
    rows = db.session.execute(statement).all()
    audit.record("list", subject="caseload")
    cap = current_app.config["CASELOAD_CAP"]
    own = [row for row in rows if row.worker_id == current_user.id]
    team = [] if is_worker else db.session.execute(queries.team_caseloads(current_user.team_id)).all()
    return render("citizens/index.html", rows=rows, cap=cap, own_count=len(own),
                  moving_in=sum(1 for row in own if row.moving_in), team=team, is_worker=is_worker)


@bp.get(f"/citizens/<{ID}:citizen_id>")
def show(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    now = utcnow()
    one = db.session.scalar
    return render(
        "citizens/show.html",
        citizen=citizen,
        housing=one(queries.current_housing(citizen.id)),
        housing_plan=one(queries.housing_plan(citizen.id)),
        plan=one(queries.current_plan(citizen.id)),
        appointments=db.session.scalars(queries.upcoming_appointments(citizen.id, now)).all(),
        contacts=db.session.scalars(queries.recent_contacts(citizen.id)).all(),
        offers=db.session.scalars(queries.citizen_offers(citizen.id)).all(),
        network=db.session.scalars(queries.network(citizen.id)).all(),
        worker=operations.current_assignment(citizen),
        attempt_form=AttemptForm(formdata=None),
        is_worker=current_user.role == Role.WORKER,
    )


@bp.get(f"/citizens/<{ID}:citizen_id>/export.json")
def export_complete(citizen_id: int):
    """Every record about the citizen, the team's internal notes included.

    The citizen's own copy (/me/export) withholds internal notes; when the citizen asks the
    municipality for them, the team leader downloads this copy and weighs third parties'
    interests before handing it out (databeskyttelsesloven §22). Logged as an export.
    """
    citizen = get_citizen_or_404(citizen_id, action="export")
    body = json.dumps(export_citizen(citizen, internal=True), ensure_ascii=False, indent=2)
    filename = f"ledsager-indsigt-{citizen.id}-{utcnow().date().isoformat()}.json"
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- Intake --------------------------------------------------------------------------

def citizen_form() -> CitizenForm:
    form = CitizenForm()
    if current_user.role == Role.SUPERVISOR:
        workers = db.session.scalars(queries.team_workers(current_user.team_id)).all()
        form.worker_id.choices = [SelectChoice(w.id, w.name) for w in workers]
    else:
        del form.worker_id
        del form.override_reason
    return form


def render_new(form, status=200):
    return render("citizens/new.html", status=status, form=form, cap=current_app.config["CASELOAD_CAP"])


@bp.get("/citizens/new")
def new():
    return render_new(citizen_form())


@bp.post("/citizens/new")
def create():
    form = citizen_form()
    if not form.validate():
        return render_new(form, 422)
    worker = current_user
    if current_user.role == Role.SUPERVISOR:
        # The choices hold only this team's active workers, so the id is safe to load.
        worker = db.session.get(User, form.worker_id.data)
    try:
        citizen = operations.create_citizen(form, worker, by=current_user)
    except operations.CaseloadCapError as error:
        # Shown next to the worker choice (supervisor) or at the top of the form (worker).
        form.cap_error = str(error)
        return render_new(form, 422)
    return redirect(url_for("citizens.show", citizen_id=citizen.id))


# --- Network -------------------------------------------------------------------------

def load_person(citizen, person_id: int) -> NetworkPerson:
    person = db.session.get(NetworkPerson, person_id)
    if person is None or person.citizen_id != citizen.id:
        abort(404)
    return person


def render_network(citizen, form, status=200, edit_forms=None):
    people = db.session.scalars(queries.network(citizen.id)).all()
    edit_forms = edit_forms or {}
    forms = {p.id: edit_forms.get(p.id) or NetworkPersonForm(formdata=None, obj=p, prefix=f"p{p.id}")
             for p in people}
    return render("citizens/network.html", status=status, citizen=citizen, people=people, form=form,
                  edit_forms=forms)


@bp.get(f"/citizens/<{ID}:citizen_id>/network")
def network(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    return render_network(citizen, NetworkPersonForm(formdata=None))


@bp.post(f"/citizens/<{ID}:citizen_id>/network")
def network_create(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    form = NetworkPersonForm()
    if not form.validate():
        return render_network(citizen, form, 422)
    operations.add_network_person(citizen, form)
    return redirect(url_for("citizens.network", citizen_id=citizen.id))


@bp.post(f"/citizens/<{ID}:citizen_id>/network/<{ID}:person_id>")
def network_update(citizen_id: int, person_id: int):
    citizen = get_citizen_or_404(citizen_id)
    person = load_person(citizen, person_id)
    form = NetworkPersonForm(prefix=f"p{person.id}")
    if not form.validate():
        return render_network(citizen, NetworkPersonForm(formdata=None), 422, {person.id: form})
    operations.update_network_person(person, form)
    return redirect(url_for("citizens.network", citizen_id=citizen.id))
