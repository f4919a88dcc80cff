"""Routes for appointments and accompaniments: new, show, outcome, cancel, list, ICS."""
from flask import Blueprint, abort, flash, jsonify, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from server.access import get_citizen_or_404
from server.appointments import ics, operations
from server.appointments.forms import AppointmentForm, OutcomeForm
from server.appointments.labels import answer_label, counterpart_label
from server.appointments.models import Appointment
from server.appointments.queries import past_for_citizen, upcoming_for_citizen
from server.db import utcnow
from server.extensions import db
from server.htmx import render, wants_json
from server.policy import CASE_STAFF, WORKER
from server.sync.responses import entry_saved as saved
from server.localtime import next_full_hour, to_local
from server.sync.responses import entry_invalid

bp = Blueprint("appointments", __name__)

POLICY = {
    "appointments.index": CASE_STAFF,
    "appointments.new": WORKER,
    "appointments.create": WORKER,
    "appointments.show": CASE_STAFF,
    "appointments.outcome": WORKER,
    "appointments.cancel": WORKER,
    "appointments.ics": CASE_STAFF,
}


def get_appointment_or_404(appointment_id: int, action: str | None = None):
    """The appointment and its citizen, through the one citizen loader (access + audit)."""
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None:
        abort(404)
    citizen = get_citizen_or_404(appointment.citizen_id, action=action)
    return appointment, citizen


@bp.app_context_processor
def labels():
    """Label helpers for the _appointment.html partial, wherever it is included."""
    return {"counterpart_label": counterpart_label, "answer_label": answer_label}


@bp.get("/citizens/<int(max=2147483647):citizen_id>/appointments")
def index(citizen_id):
    citizen = get_citizen_or_404(citizen_id)
    now = utcnow()
    upcoming = db.session.scalars(upcoming_for_citizen(citizen.id, now)).all()
    past = db.session.scalars(past_for_citizen(citizen.id, now)).all()
    return render("appointments/index.html", citizen=citizen, upcoming=upcoming, past=past)


def render_new(form, citizen, status=200):
    return render("appointments/new.html", form=form, citizen=citizen, status=status)


@bp.get("/citizens/<int(max=2147483647):citizen_id>/appointments/new")
def new(citizen_id):
    citizen = get_citizen_or_404(citizen_id)
    form = AppointmentForm(formdata=None)
    form.accompanied.data = request.args.get("accompanied") == "1"
    start = to_local(next_full_hour(utcnow()))
    form.date.data, form.starts.data = start.date(), start.time()
    return render_new(form, citizen)


@bp.post("/citizens/<int(max=2147483647):citizen_id>/appointments")
def create(citizen_id):
    citizen = get_citizen_or_404(citizen_id)
    form = AppointmentForm()
    if not form.validate():
        return entry_invalid(form, lambda status: render_new(form, citizen, status))
    title = (form.title.data or "").strip() or counterpart_label(form.counterpart.data)
    outcome, appointment = operations.create_appointment(
        citizen=citizen, user=current_user, counterpart=form.counterpart.data, title=title,
        starts_at=form.starts_at, ends_at=form.ends_at, location=form.location.data,
        meeting_point=form.meeting_point.data, accompanied=form.accompanied.data, note=form.note.data,
        client_id=form.client_uuid, recorded_at=form.recorded_time)
    message = _("Ledsagelsen er gemt.") if appointment.accompanied else _("Aftalen er gemt.")
    return saved(outcome, appointment, message=message,
                 redirect_to=url_for("appointments.show", appointment_id=appointment.id))


@bp.get("/appointments/<int(max=2147483647):appointment_id>")
def show(appointment_id):
    appointment, citizen = get_appointment_or_404(appointment_id)
    return render("appointments/show.html", appointment=appointment, citizen=citizen, now=utcnow())


def render_outcome(form, appointment, citizen, status=200):
    return render("appointments/outcome.html", form=form, appointment=appointment, citizen=citizen,
                  status=status)


@bp.route("/appointments/<int(max=2147483647):appointment_id>/outcome", methods=["GET", "POST"])
def outcome(appointment_id):
    appointment, citizen = get_appointment_or_404(appointment_id)
    if request.method == "GET":
        form = OutcomeForm(formdata=None)
        if appointment.attended is not None:
            form.attended.data = "yes" if appointment.attended else "no"
        form.worker_was_present.data = (appointment.worker_was_present
                                        if appointment.worker_was_present is not None else appointment.accompanied)
        form.outcome.data, form.follow_up.data = appointment.outcome, appointment.follow_up
        return render_outcome(form, appointment, citizen)
    form = OutcomeForm()
    if not form.validate():
        return entry_invalid(form, lambda status: render_outcome(form, appointment, citizen, status))
    # Setting the outcome again sets the same fields: a replay is harmless, so no insert_once.
    reminder = operations.record_outcome(
        appointment, user=current_user, attended=form.attended.data == "yes",
        worker_was_present=form.worker_was_present.data, outcome=form.outcome.data,
        follow_up=form.follow_up.data, reminder_due=form.reminder_due_at)
    back = url_for("appointments.show", appointment_id=appointment.id)
    if wants_json():
        return jsonify(status="stored", id=appointment.id, redirect=back), 200
    flash(_("Udfaldet er gemt, og opfølgningen er lagt som påmindelse.") if reminder
          else _("Udfaldet er gemt."), "success")
    return redirect(back)


@bp.post("/appointments/<int(max=2147483647):appointment_id>/cancel")
def cancel(appointment_id):
    appointment, _citizen = get_appointment_or_404(appointment_id)
    operations.cancel(appointment)
    flash(_("Aftalen er aflyst."), "success")
    return redirect(url_for("appointments.show", appointment_id=appointment.id))


@bp.get("/appointments/<int(max=2147483647):appointment_id>.ics", endpoint="ics")
def ics_file(appointment_id):
    appointment, _citizen = get_appointment_or_404(appointment_id, action="export")
    # The file ends up in the worker's own (often cloud-synced) calendar: no citizen name in it.
    body = ics.calendar_for([appointment], name="Ledsager",
                            host=request.host.split(":")[0] or "ledsager")
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="aftale-{appointment.id}.ics"'
    return response
