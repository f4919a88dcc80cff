"""Server-side login sessions: rotation at log-in, idle and absolute timeouts, revocation."""
import secrets
from datetime import timedelta

from flask import current_app, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from sqlalchemy import delete, update

from server.auth.models import LoginSession, Role, User
from server.db import utcnow
from server.extensions import db
from server.reminders.models import PushSubscription

# Writing last_seen on every request would turn every read into a write.
TOUCH_EVERY = timedelta(seconds=60)


def init_login_manager(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log ind for at fortsætte.")
    login_manager.session_protection = None  # "strong" logs workers out on every Wi-Fi/4G switch
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)


def idle_limit(user: User) -> timedelta:
    cfg = current_app.config
    return cfg["IDLE_TIMEOUT_CITIZEN"] if user.role == Role.CITIZEN else cfg["IDLE_TIMEOUT_STAFF"]


def load_user(user_id: str):
    sid = session.get("sid")
    if not sid:
        return None
    row = db.session.get(LoginSession, sid)
    if row is None or row.revoked_at is not None or str(row.user_id) != user_id:
        return None
    user = row.user
    now = utcnow()
    expired = (
        now - row.last_seen_at > idle_limit(user)
        or now - row.created_at > current_app.config["ABSOLUTE_SESSION_LIFETIME"]
        or not user.active
    )
    if expired:
        row.revoked_at = now
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    return user


def unauthorized():
    from server.errors import error_response
    from server.htmx import is_background_request

    if is_background_request():
        return error_response(401)
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def start_session(user: User, method: str) -> None:
    """Log in with a fresh session id (no fixation) backed by a server-side row."""
    session.clear()
    now = utcnow()
    row = LoginSession(id=secrets.token_urlsafe(32), user=user, created_at=now, last_seen_at=now, method=method)
    db.session.add(row)
    session["sid"] = row.id
    session.permanent = False
    login_user(user)


def end_session() -> None:
    """Log out: the session row is revoked and the phone's reminder subscription made in this
    log-in is deleted (on a shared phone, the next user must not get this user's reminders)."""
    sid = session.get("sid")
    if sid:
        row = db.session.get(LoginSession, sid)
        if row is not None and row.revoked_at is None:
            row.revoked_at = utcnow()
        db.session.execute(delete(PushSubscription).where(PushSubscription.login_session_id == sid))
    logout_user()
    session.clear()


def end_all_sessions(user: User) -> None:
    """Used when a user is disabled or their passkeys are revoked (a lost phone): every log-in
    ends and no phone gets the user's reminders any more."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.execute(delete(PushSubscription).where(PushSubscription.user_id == user.id))
