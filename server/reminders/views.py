"""Routes for reminders: the worker's list, new, done, snooze; web push subscription."""
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from server.access import get_citizen_or_404, visible_citizens_clause
from server.audit import operations as audit
from server.citizens.models import Citizen
from server.db import utcnow
from server.errors import error_response
from server.extensions import db
from server.htmx import render, wants_json
from server.security import accepts_json
from server.policy import ANYONE_LOGGED_IN, WORKER
from server.reminders import operations, push
from server.sync.responses import entry_saved as saved
from server.reminders.forms import DoneForm, ReminderForm, SnoozeForm, parse_citizen_id
from server.reminders.labels import SNOOZE_LABELS, source_label
from server.localtime import Snooze, next_full_hour, to_local
from server.reminders.models import Reminder
from server.reminders.queries import open_reminders
from server.sync.responses import entry_invalid

bp = Blueprint("reminders", __name__)

POLICY = {
    "reminders.index": WORKER,
    "reminders.new": WORKER,
    "reminders.create": WORKER,
    "reminders.done": WORKER,
    "reminders.snooze": WORKER,
    "reminders.subscribe": ANYONE_LOGGED_IN,
    "reminders.unsubscribe": ANYONE_LOGGED_IN,
    "reminders.vapid_public_key": ANYONE_LOGGED_IN,
}


@bp.app_context_processor
def reminder_helpers():
    """What the _reminder.html partial needs, so other pages (Today) can include it too."""
    return {"reminder_source_label": source_label, "reminder_clock": utcnow,
            "reminder_snooze_presets": [(key, SNOOZE_LABELS[key]) for key in Snooze.ALL]}


def get_reminder_or_404(reminder_id: int) -> Reminder:
    """A reminder is its owner's alone; one about a citizen also needs access to that citizen."""
    reminder = db.session.get(Reminder, reminder_id)
    if reminder is None or reminder.owner_id != current_user.id:
        audit.record_now("denied", subject=request.endpoint, outcome="denied")
        abort(404)
    if reminder.citizen_id is not None:
        get_citizen_or_404(reminder.citizen_id)
    return reminder


def safe_next(default: str) -> str:
    target = request.values.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else default


def my_citizen_choices():
    rows = db.session.execute(
        select(Citizen.id, Citizen.first_name, Citizen.preferred_name, Citizen.last_name)
        .where(visible_citizens_clause(current_user)).order_by(Citizen.first_name, Citizen.last_name)
    ).all()
    return [SelectChoice("", _("Ingen bestemt borger"))] + [
        SelectChoice(str(row.id), f"{row.preferred_name or row.first_name} {row.last_name}") for row in rows
    ]


@bp.get("/reminders")
def index():
    now = utcnow()
    reminders = db.session.scalars(open_reminders(current_user, now)).unique().all()
    audit.record("list", subject="reminders.index")
    due = [r for r in reminders if r.due_at <= now]
    upcoming = [r for r in reminders if r.due_at > now]
    return render("reminders/index.html", due=due, upcoming=upcoming)


def render_new(form, citizen=None, status=200):
    return render("reminders/new.html", form=form, citizen=citizen, status=status)


@bp.get("/reminders/new")
def new():
    form = ReminderForm(formdata=None)
    citizen = None
    try:
        citizen_id = parse_citizen_id(request.args.get("citizen_id"))
    except ValueError:
        citizen_id = None
    if citizen_id is not None:
        citizen = get_citizen_or_404(citizen_id)
        form.citizen_id.data = str(citizen.id)
    form.citizen_id.choices = my_citizen_choices()
    due = to_local(next_full_hour(utcnow()))
    form.due_date.data, form.due_time.data = due.date(), due.time()
    return render_new(form, citizen)


@bp.post("/reminders")
def create():
    form = ReminderForm()
    form.citizen_id.choices = my_citizen_choices()
    citizen = None
    try:
        citizen_id = parse_citizen_id(form.citizen_id.data)
    except ValueError:
        citizen_id = None  # the form reports it
    if citizen_id is not None:
        citizen = get_citizen_or_404(citizen_id)
    if not form.validate():
        return entry_invalid(form, lambda status: render_new(form, citizen, status))
    outcome, reminder = operations.create_reminder(
        owner=current_user, citizen_id=citizen_id, text=form.text.data, due_at=form.due_at,
        client_id=form.client_uuid, recorded_at=form.recorded_time)
    back = safe_next(url_for("reminders.index"))
    return saved(outcome, reminder, redirect_to=back, message=_("Påmindelsen er gemt."))


@bp.post("/reminders/<int(max=2147483647):reminder_id>/done")
def done(reminder_id):
    reminder = get_reminder_or_404(reminder_id)
    form = DoneForm()
    already = reminder.done_at is not None
    when = form.recorded_time if form.validate() else utcnow()
    operations.mark_done(reminder, min(when, utcnow()))
    back = safe_next(url_for("reminders.index"))
    if wants_json():
        # The outbox's vocabulary: stored the first time, duplicate for a replay; both 200.
        return jsonify(status="duplicate" if already else "stored", id=reminder.id, redirect=back), 200
    flash(_("Påmindelsen er markeret som klaret."), "success")
    return redirect(back)


@bp.post("/reminders/<int(max=2147483647):reminder_id>/snooze")
def snooze(reminder_id):
    reminder = get_reminder_or_404(reminder_id)
    form = SnoozeForm()
    if not form.validate():
        if wants_json():
            return entry_invalid(form, None)
        # A one-button action has no form to show errors beside: the page says what was wrong,
        # whichever field it was (the preset, or the outbox's hidden id or time).
        return error_response(422, next(messages[0] for messages in form.errors.values() if messages))
    operations.snooze(reminder, form.preset.data, utcnow())
    back = safe_next(url_for("reminders.index"))
    if wants_json():
        return jsonify(status="stored", id=reminder.id, due_at=reminder.due_at.isoformat(), redirect=back), 200
    flash(_("Påmindelsen er udsat."), "success")
    return redirect(back)


# --- Web push ---------------------------------------------------------------

def _subscription_fields(data):
    """endpoint, p256dh, auth from the browser's PushSubscription.toJSON(); None if malformed."""
    if not isinstance(data, dict):
        return None
    endpoint, keys = data.get("endpoint"), data.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, dict):
        return None
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not (isinstance(p256dh, str) and isinstance(auth, str)):
        return None
    if not (0 < len(endpoint) <= 1000 and 0 < len(p256dh) <= 200 and 0 < len(auth) <= 100):
        return None
    return endpoint, p256dh, auth


@bp.post("/push/subscribe")
@accepts_json
def subscribe():
    fields = _subscription_fields(request.get_json(silent=True))
    if fields is None:
        return error_response(400, _("Abonnementet på notifikationer kunne ikke læses."))
    endpoint, p256dh, auth = fields
    production = current_app.config["LEDSAGER_ENV"] == "production"
    hosts = current_app.config.get("PUSH_SERVICE_HOSTS") or push.PUSH_SERVICE_HOSTS
    if not push.endpoint_allowed(endpoint, production=production, hosts=hosts):
        return error_response(422, _("Notifikationstjenestens adresse er ikke gyldig."))
    subscription = push.save_subscription(current_user, endpoint, p256dh, auth, session.get("sid"))
    return jsonify(status="subscribed", id=subscription.id), 201


@bp.post("/push/unsubscribe")
@accepts_json
def unsubscribe():
    data = request.get_json(silent=True)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str):
        return error_response(400)
    push.delete_subscription(current_user, endpoint)
    return jsonify(status="unsubscribed"), 200


@bp.get("/push/key")
def vapid_public_key():
    key = push.public_key()
    if not key:
        return error_response(404, _("Notifikationer er ikke sat op på denne server."))
    return jsonify(public_key=key)
