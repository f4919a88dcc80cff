"""Web Push: VAPID keys, push subscriptions, and the sender run every minute by
`flask send-reminders` for due reminders (workers) and tomorrow's appointments (citizens).

Payloads say only that something is waiting, never a note, a name or a counterpart:
they show on a lock screen, possibly of a shared phone.
"""
import json
import logging
import os
from datetime import datetime, timedelta
from urllib.parse import urlparse

from flask import Flask, current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import delete, select

from server.auth.models import User
from server.db import utcnow
from server.extensions import db
from server.reminders import queries
from server.localtime import to_local
from server.reminders.models import PushSubscription

log = logging.getLogger(__name__)

VAPID_FILE = "vapid.json"
BATCH = 50
# A reminder that has waited longer than this (e.g. the sender was down) is marked as
# pushed without a notification: a burst of stale pushes helps nobody.
STALE_AFTER = timedelta(days=1)
APPOINTMENT_NOTICE = timedelta(hours=24)
PUSH_TTL = 12 * 60 * 60  # seconds the push service keeps a message for an offline phone
GONE = {404, 410}


# --- VAPID keys -------------------------------------------------------------

def vapid_path(app: Flask) -> str:
    return os.path.join(app.instance_path, VAPID_FILE)


def load_vapid(app: Flask) -> bool:
    """Fill VAPID_PRIVATE_KEY / VAPID_PUBLIC_KEY from instance/vapid.json when the
    environment did not set them. True when keys are available."""
    if app.config.get("VAPID_PRIVATE_KEY") and app.config.get("VAPID_PUBLIC_KEY"):
        return True
    path = vapid_path(app)
    if not os.path.exists(path):
        return False
    with open(path, encoding="utf-8") as handle:
        keys = json.load(handle)
    app.config["VAPID_PRIVATE_KEY"] = keys["private_key"]
    app.config["VAPID_PUBLIC_KEY"] = keys["public_key"]
    return True


def generate_vapid_keys() -> dict:
    """A new P-256 key pair as base64url: the raw private number and the uncompressed
    public point (the browser's applicationServerKey)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from py_vapid.utils import b64urlencode

    key = ec.generate_private_key(ec.SECP256R1())
    private_raw = key.private_numbers().private_value.to_bytes(32, "big")
    public_raw = key.public_key().public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
    return {"private_key": b64urlencode(private_raw), "public_key": b64urlencode(public_raw)}


def write_vapid_file(app: Flask, keys: dict) -> str:
    os.makedirs(app.instance_path, exist_ok=True)
    path = vapid_path(app)
    # Owner-only from the first byte: the private key signs every push.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(keys, handle)
    return path


def public_key(app: Flask | None = None) -> str | None:
    app = app or current_app
    load_vapid(app)
    return app.config.get("VAPID_PUBLIC_KEY")


# --- Subscriptions ----------------------------------------------------------

# The browsers' push services. The server POSTs to whatever endpoint is stored, so an
# arbitrary URL would let any logged-in user aim the server at internal hosts (SSRF).
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",  # Chrome, Edge on Android, most Chromium browsers
    "push.services.mozilla.com",  # Firefox (updates.push.services.mozilla.com)
    "push.apple.com",  # Safari and iOS home-screen apps (web.push.apple.com)
    "notify.windows.com",  # Edge on Windows (wns2-*.notify.windows.com)
)


def endpoint_allowed(endpoint: str, *, production: bool, hosts=PUSH_SERVICE_HOSTS) -> bool:
    """https to a known push service; outside production also http(s) to localhost (tests)."""
    try:
        url = urlparse(endpoint)
        host = (url.hostname or "").lower()
        url.port  # noqa: B018  (raises ValueError for a malformed port)
    except ValueError:
        return False
    if not host or url.username or url.password:
        return False
    if not production and host in {"localhost", "127.0.0.1"} and url.scheme in {"http", "https"}:
        return True
    known = any(host == h or host.endswith("." + h) for h in hosts)
    return url.scheme == "https" and known


def save_subscription(user, endpoint: str, p256dh: str, auth: str, login_session_id: str | None) -> PushSubscription:
    """One row per endpoint, owned by the log-in that made it; a phone that changes hands
    (shared device) moves to its new user and log-in."""
    subscription = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint, user_id=user.id, p256dh=p256dh, auth=auth,
                                        login_session_id=login_session_id)
        db.session.add(subscription)
    else:
        subscription.user_id, subscription.p256dh, subscription.auth = user.id, p256dh, auth
        subscription.login_session_id = login_session_id
    db.session.flush()
    return subscription


def delete_subscription(user, endpoint: str) -> int:
    result = db.session.execute(delete(PushSubscription).where(
        PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id))
    return result.rowcount


# --- Sending ----------------------------------------------------------------

def send_to_user(user_id: int, body: str, url: str) -> int:
    """Push one message to every subscription of the user; returns how many were accepted.

    Subscriptions the push service reports as gone (404/410) are deleted.
    """
    from pywebpush import WebPushException, webpush

    app = current_app
    if not load_vapid(app):
        log.warning("no VAPID keys: run `flask vapid-keys`; push skipped")
        return 0
    payload = json.dumps({"title": "Ledsager", "body": body, "url": url})
    sent = 0
    for subscription in db.session.scalars(queries.subscriptions_of(user_id)).all():
        info = {"endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        try:
            # webpush() writes aud/exp into the claims: a fresh dict for every call.
            webpush(info, data=payload, vapid_private_key=app.config["VAPID_PRIVATE_KEY"],
                    vapid_claims={"sub": app.config["VAPID_SUBJECT"]}, ttl=PUSH_TTL,
                    content_encoding="aes128gcm", timeout=10)
            sent += 1
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in GONE:
                db.session.delete(subscription)
            else:
                # Endpoint URLs are capability URLs: log the host only.
                log.warning("push to %s failed with %s", urlparse(subscription.endpoint).hostname, status)
        except Exception as error:  # network errors must not stop the other pushes
            log.warning("push to %s failed: %s", urlparse(subscription.endpoint).hostname,
                        type(error).__name__)
    return sent


def _path(endpoint: str) -> str:
    """A URL path without a request (the command runs outside one)."""
    try:
        return current_app.url_map.bind("localhost").build(endpoint)
    except Exception:  # the portal may not be there in every build
        return "/"


def _locale_of(user_id: int) -> str:
    return db.session.scalar(select(User.locale).where(User.id == user_id)) or "da"


def _active(user_id: int) -> bool:
    return bool(db.session.scalar(select(User.active).where(User.id == user_id)))


def send_due_reminders(now: datetime | None = None) -> int:
    """Push every due, open, unpushed reminder to its owner; commit per batch.

    Rows are locked FOR UPDATE SKIP LOCKED, so several instances running the command at
    the same minute push each reminder once. Returns the number of reminders handled.
    """
    now = now or utcnow()
    handled = 0
    while True:
        batch = db.session.scalars(queries.reminders_to_push(now, BATCH)).all()
        if not batch:
            break
        for reminder in batch:
            if reminder.due_at >= now - STALE_AFTER and _active(reminder.owner_id):
                with force_locale(_locale_of(reminder.owner_id)):
                    body = _("Du har en påmindelse i Ledsager")
                send_to_user(reminder.owner_id, body, _path("reminders.index"))
            reminder.pushed_at = now
        db.session.commit()
        handled += len(batch)
    return handled


def appointment_text(starts_at: datetime, now: datetime) -> str:
    local_start, local_now = to_local(starts_at), to_local(now)
    clock = local_start.strftime("%H:%M")
    days = (local_start.date() - local_now.date()).days
    if days == 0:
        return _("Du har en aftale i dag kl. %(time)s", time=clock)
    if days == 1:
        return _("Du har en aftale i morgen kl. %(time)s", time=clock)
    return _("Du har en aftale d. %(date)s kl. %(time)s", date=local_start.strftime("%d.%m."), time=clock)


def send_appointment_reminders(now: datetime | None = None) -> int:
    """Remind citizens of appointments in the next 24 hours, once each."""
    now = now or utcnow()
    handled = 0
    while True:
        rows = db.session.execute(queries.appointments_to_remind(now, now + APPOINTMENT_NOTICE, BATCH)).all()
        if not rows:
            break
        for appointment, citizen_user_id in rows:
            if (citizen_user_id is not None and appointment.citizen_answer != "cannot_come"
                    and _active(citizen_user_id)):
                with force_locale(_locale_of(citizen_user_id)):
                    body = appointment_text(appointment.starts_at, now)
                send_to_user(citizen_user_id, body, _path("portal.appointments"))
            appointment.reminder_sent_at = now
        db.session.commit()
        handled += len(rows)
    return handled


def send_all(now: datetime | None = None) -> tuple[int, int]:
    now = now or utcnow()
    return send_due_reminders(now), send_appointment_reminders(now)
