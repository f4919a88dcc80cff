"""The citizen's own part of Ledsager: plan, appointments, worker, wishes, access log, own data.

Every route loads the citizen through get_citizen_or_404 with the logged-in citizen's own
id, so each request is checked and audited in the one place; a citizen reaches only
themself. Pages show only what is shared with the citizen; the art. 15 export is complete.
"""
import json
import re

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from server.access import get_citizen_or_404
from server.appointments.ics import calendar_for
from server.appointments.models import Appointment
from server.audit import operations as audit
from server.citizens.labels import dimension_label
from server.db import utcnow
from server.extensions import db
from server.htmx import render
from server.policy import CITIZEN, PUBLIC
from server.portal import labels, operations, queries
from server.portal.export import export_citizen
from server.portal.forms import WISHES_MAX, AnswerForm, WishesForm
from server.portal.qr import qr_svg

bp = Blueprint("portal", __name__)

POLICY = {
    "portal.plan": CITIZEN,
    "portal.appointments": CITIZEN,
    "portal.appointment_ics": CITIZEN,
    "portal.answer": CITIZEN,
    "portal.calendar": CITIZEN,
    "portal.calendar_create": CITIZEN,
    "portal.calendar_revoke": CITIZEN,
    "portal.feed": PUBLIC,  # the secret token in the URL is the credential
    "portal.worker": CITIZEN,
    "portal.request_contact": CITIZEN,
    "portal.wishes": CITIZEN,
    "portal.access_log": CITIZEN,
    "portal.export": CITIZEN,
    "portal.export_json": CITIZEN,
}

ACCESS_LOG_PAGE_SIZE = 50
# Ids beyond the database integer range are 404, not an overflow error.
ID = "int(max=2147483647)"
# Feed tokens are URL-safe base64 (secrets.token_urlsafe); anything else is not a token.
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def own_citizen(action: str | None = None):
    """The logged-in citizen's own record, checked and audited (404 if the login has none)."""
    return get_citizen_or_404(queries.own_citizen_id(current_user) or 0, action=action)


def own_appointment(appointment_id: int) -> tuple:
    """An appointment of the logged-in citizen; someone else's id answers 404 like a missing one,
    and the attempt is logged against the citizen it belongs to."""
    appointment = db.session.get(Appointment, appointment_id)
    own_id = queries.own_citizen_id(current_user)
    if appointment is None or own_id is None or appointment.citizen_id != own_id:
        audit.record_now("denied", citizen_id=appointment.citizen_id if appointment else None,
                         subject=request.endpoint, outcome="denied")
        abort(404)
    return own_citizen(), appointment




@bp.app_context_processor
def portal_helpers():
    def enrolment_qr(code: str):
        url = url_for("auth.enrol", code=code, _external=True)
        return qr_svg(url, _("QR-kode der åbner Ledsager med koden %(code)s", code=code))

    return {"enrolment_qr": enrolment_qr}


@bp.get("/me/plan")
def plan():
    citizen = own_citizen()
    current = db.session.scalar(queries.latest_plan(citizen.id))
    goals_by_dimension = {}
    if current is not None:
        for goal in sorted(current.goals, key=lambda g: (g.dimension.position, g.dimension_id, g.position)):
            goals_by_dimension.setdefault(goal.dimension, []).append(goal)
    actions = current.actions if current else []
    open_actions = sorted((a for a in actions if not a.done), key=lambda a: (a.due_on is None, a.due_on, a.position))
    return render(
        "portal/plan.html", citizen=citizen, plan=current, goals_by_dimension=goals_by_dimension,
        open_actions=open_actions, done_actions=[a for a in actions if a.done],
        own_words=db.session.execute(queries.latest_citizen_words(citizen.id)).all(),
        dimension_label=dimension_label,
    )


@bp.get("/me/appointments")
def appointments():
    citizen = own_citizen()
    return _appointments_page(citizen)


def _appointments_page(citizen, status=200, form=None, error_for=None, error=None):
    rows = list(db.session.scalars(queries.upcoming_appointments(citizen.id)))
    return render("portal/appointments.html", citizen=citizen, appointments=rows, form=form or AnswerForm(),
                  error_for=error_for, error=error, labels=labels, status=status)


@bp.get(f"/me/appointments/<{ID}:appointment_id>.ics")
def appointment_ics(appointment_id: int):
    citizen, appointment = own_appointment(appointment_id)
    body = calendar_for([appointment], name=_("Mine aftaler i Ledsager"), host=request.host)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="aftale-{appointment.id}.ics"'})


@bp.post(f"/me/appointments/<{ID}:appointment_id>/answer")
def answer(appointment_id: int):
    citizen, appointment = own_appointment(appointment_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _appointments_page(citizen, 422, form, appointment.id, form.answer.errors[0])
    if appointment.cancelled or (appointment.ends_at or appointment.starts_at) < utcnow():
        return _appointments_page(citizen, 422, form, appointment.id,
                                  _("Aftalen er aflyst eller overstået, så du kan ikke svare på den."))
    from server.appointments.operations import record_citizen_answer  # owned by the appointments package

    record_citizen_answer(appointment, form.citizen_answer, citizen)
    flash(_("Tak. Din medarbejder kan se dit svar."), "success")
    return redirect(url_for("portal.appointments") + f"#appointment-{appointment.id}")


@bp.get("/me/calendar")
def calendar():
    citizen = own_citizen()
    feed = db.session.scalar(queries.active_feed(citizen.id))
    feed_url = url_for("portal.feed", token=feed.token, _external=True) if feed else None
    return render("portal/calendar.html", citizen=citizen, feed=feed, feed_url=feed_url)


@bp.post("/me/calendar/create")
def calendar_create():
    citizen = own_citizen()
    operations.create_feed(citizen)
    flash(_("Dit kalender-link er klar. Et tidligere link virker ikke længere."), "success")
    return redirect(url_for("portal.calendar"))


@bp.post("/me/calendar/revoke")
def calendar_revoke():
    citizen = own_citizen()
    operations.revoke_feeds(citizen)
    flash(_("Dit kalender-link er slået fra. Ingen kan bruge det mere."), "success")
    return redirect(url_for("portal.calendar"))


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """The citizen's calendar feed for their calendar app: no log-in, the token is the key."""
    row = db.session.scalar(queries.feed_by_token(token)) if TOKEN.fullmatch(token) else None
    if row is None:
        audit.record_now("denied", subject="calendar-feed", outcome="denied")
        abort(404)
    audit.record("read", citizen_id=row.citizen_id, subject="calendar-feed")
    rows = db.session.scalars(queries.feed_appointments(row.citizen_id))
    body = calendar_for(rows, name=_("Mine aftaler i Ledsager"), host=request.host)
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-store"})


@bp.get("/me/worker")
def worker():
    citizen = own_citizen()
    return render("portal/worker.html", citizen=citizen,
                  worker=db.session.scalar(queries.primary_worker(citizen.id)),
                  contacts=list(db.session.scalars(queries.shared_contacts(citizen.id))), labels=labels)


@bp.post("/me/contact-request")
def request_contact():
    citizen = own_citizen()
    from server.reminders.operations import request_contact as ask_worker  # owned by the reminders package

    ask_worker(citizen)
    flash(_("Tak. Din medarbejder har fået besked og kontakter dig hurtigst muligt."), "success")
    return redirect(url_for("portal.worker"))


@bp.route("/me/wishes", methods=["GET", "POST"])
def wishes():
    citizen = own_citizen()
    form = WishesForm(data={"wishes": citizen.wishes})
    if request.method == "POST":
        if not form.validate_on_submit():
            return render("portal/wishes.html", citizen=citizen, form=form, max_length=WISHES_MAX, status=422)
        operations.save_wishes(citizen, form.wishes.data)
        flash(_("Dine ønsker er gemt. Din medarbejder kan se dem ved din plan."), "success")
        return redirect(url_for("portal.wishes"))
    return render("portal/wishes.html", citizen=citizen, form=form, max_length=WISHES_MAX)


@bp.get("/me/access-log")
def access_log():
    citizen = own_citizen()
    page = request.args.get("side", 1, type=int) or 1
    page = max(page, 1)
    events, total = queries.access_log_page(citizen.id, page, ACCESS_LOG_PAGE_SIZE)
    pages = max(1, -(-total // ACCESS_LOG_PAGE_SIZE))
    return render("portal/access_log.html", citizen=citizen, events=events, total=total, page_number=page,
                  pages=pages, labels=labels)


@bp.get("/me/export")
def export():
    citizen = own_citizen(action="export")
    return render("portal/export.html", citizen=citizen, data=export_citizen(citizen), labels=labels)


@bp.get("/me/export.json")
def export_json():
    citizen = own_citizen(action="export")
    body = json.dumps(export_citizen(citizen), ensure_ascii=False, indent=2)
    filename = f"ledsager-mine-data-{utcnow().date().isoformat()}.json"
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
