"""Log-in with passkey or password, log-out, passkey management and citizen enrolment."""
from flask import Blueprint, current_app, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from server.access import get_citizen_or_404
from server.audit import operations as audit
from server.auth import enrolment, passkeys
from server.auth.forms import EnrolmentCodeForm, PasswordLoginForm
from server.auth.models import STAFF_ROLES, Credential, Role, User
from server.auth.passwords import check_password
from server.auth.sessions import end_all_sessions, end_session, start_session
from server.extensions import db, limiter
from server.htmx import render
from server.policy import ANYONE_LOGGED_IN, CASE_STAFF, PUBLIC
from server.security import accepts_json

bp = Blueprint("auth", __name__)

POLICY = {
    "auth.home": PUBLIC,
    "auth.login": PUBLIC,
    "auth.password_login": PUBLIC,
    "auth.passkey_login_options": PUBLIC,
    "auth.passkey_login_verify": PUBLIC,
    "auth.logout": ANYONE_LOGGED_IN,
    "auth.passkeys": ANYONE_LOGGED_IN,
    "auth.passkey_register_options": ANYONE_LOGGED_IN,
    "auth.passkey_register_verify": ANYONE_LOGGED_IN,
    "auth.passkey_delete": ANYONE_LOGGED_IN,
    "auth.enrol": PUBLIC,
    "auth.enrol_options": PUBLIC,
    "auth.enrol_verify": PUBLIC,
    "auth.issue_code": CASE_STAFF,
    "auth.revoke_passkeys": CASE_STAFF,
    "auth.set_language": PUBLIC,
}

HOME_BY_ROLE = {
    Role.WORKER: "today.index",
    Role.SUPERVISOR: "teams.board",
    Role.CITIZEN: "portal.plan",
    Role.ADMIN: "admin.index",
}


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_key() -> str:
    return "account:" + (request.form.get("username") or "").strip().lower()


def safe_next() -> str | None:
    target = request.values.get("next") or ""
    # Only local paths: an open redirect after log-in is a phishing aid.
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else None


def home_url(user) -> str:
    return url_for(HOME_BY_ROLE[user.role])


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_url(current_user))


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    return render("auth/login.html", form=PasswordLoginForm(), next=safe_next())


@bp.post("/login/password")
@limiter.limit(login_limit)
@limiter.limit(login_limit, key_func=account_key)
def password_login():
    form = PasswordLoginForm()
    if not form.validate_on_submit():
        return render("auth/login.html", form=form, next=safe_next(), status=422)
    username = form.username.data.strip().lower()
    user = db.session.scalar(select(User).where(User.username == username))
    ok = check_password(user.password_hash if user else None, form.password.data)
    if not ok or user is None or not user.active or user.role not in STAFF_ROLES:
        audit.record("login", subject=f"password:{username}"[:200], outcome="failed", user=user)
        form.password.errors.append(_("Brugernavn eller adgangskode er forkert."))
        return render("auth/login.html", form=form, next=safe_next(), status=401)
    start_session(user, "password")
    audit.record("login", subject="password", user=user)
    return redirect(safe_next() or home_url(user))


@bp.post("/login/passkey/options")
@accepts_json
@limiter.limit(login_limit)
def passkey_login_options():
    challenge_id, options = passkeys.login_options()
    session["login_challenge"] = challenge_id
    return current_app.response_class(options, mimetype="application/json")


@bp.post("/login/passkey/verify")
@accepts_json
@limiter.limit(login_limit)
def passkey_login_verify():
    try:
        user = passkeys.finish_login(session.pop("login_challenge", None), passkeys.parse_json_body())
    except passkeys.PasskeyError as error:
        audit.record_now("login", subject=f"passkey: {error}"[:200], outcome="failed")
        return jsonify(error=_("Log-ind med adgangsnøgle mislykkedes. Prøv igen.")), 400
    start_session(user, "passkey")
    audit.record("login", subject="passkey", user=user)
    return jsonify(redirect=safe_next() or home_url(user))


@bp.post("/logout")
def logout():
    audit.record("logout")
    end_session()
    return redirect(url_for("auth.login"))


@bp.get("/passkeys", endpoint="passkeys")
def passkeys_page():
    return render("auth/passkeys.html", credentials=current_user.credentials)


@bp.post("/passkeys/options")
@accepts_json
def passkey_register_options():
    challenge_id, options = passkeys.registration_options(current_user)
    session["register_challenge"] = challenge_id
    return current_app.response_class(options, mimetype="application/json")


@bp.post("/passkeys/verify")
@accepts_json
def passkey_register_verify():
    try:
        body = passkeys.parse_json_body()
        passkeys.finish_registration(current_user, session.pop("register_challenge", None),
                                     body.get("credential") or body, body.get("label"))
    except passkeys.PasskeyError:
        return jsonify(error=_("Adgangsnøglen kunne ikke gemmes. Prøv igen.")), 400
    audit.record("passkey_added")
    return jsonify(redirect=url_for("auth.passkeys"))


@bp.post("/passkeys/<int:credential_id>/delete")
def passkey_delete(credential_id: int):
    credential = db.session.get(Credential, credential_id)
    if credential is None or credential.user_id != current_user.id:
        return render("errors/error.html", status=404, message=_("Adgangsnøglen findes ikke."))
    db.session.delete(credential)
    audit.record("passkey_removed")
    return redirect(url_for("auth.passkeys"))


@bp.get("/enrol")
def enrol():
    # The QR code on the worker's screen links here with the code, so the citizen only taps.
    return render("auth/enrol.html", form=EnrolmentCodeForm(code=(request.args.get("code") or "")[:20]))


@bp.post("/enrol/options")
@accepts_json
@limiter.limit(login_limit)
def enrol_options():
    body = request.get_json(silent=True) if request.is_json else None
    raw = request.form.get("code") or (body.get("code") if isinstance(body, dict) else None)
    code = enrolment.find_valid(raw if isinstance(raw, str) else "")
    if code is None:
        audit.record_now("enrolment", subject="code rejected", outcome="failed")
        return jsonify(error=_("Koden er forkert, brugt eller udløbet. Bed din medarbejder om en ny."),
                       field="code"), 400
    challenge_id, options = passkeys.registration_options(code.user)
    session["enrol"] = {"challenge": challenge_id, "code": code.id}
    return current_app.response_class(options, mimetype="application/json")


@bp.post("/enrol/verify")
@accepts_json
@limiter.limit(login_limit)
def enrol_verify():
    pending = session.pop("enrol", None) or {}
    try:
        challenge = passkeys.take_challenge(pending.get("challenge"), "register")
        user = db.session.get(User, challenge.user_id)
        if user is None or not enrolment.use(pending.get("code")):
            raise passkeys.PasskeyError("code used or expired")
        # take_challenge consumed the row; finish_registration verifies against its challenge.
        passkeys.finish_registration_with(challenge, user, passkeys.parse_json_body())
    except passkeys.PasskeyError as error:
        audit.record_now("enrolment", subject=str(error)[:200], outcome="failed")
        return jsonify(error=_("Adgangsnøglen kunne ikke oprettes. Bed din medarbejder om en ny kode.")), 400
    start_session(user, "passkey")
    audit.record("enrolment", user=user)
    return jsonify(redirect=home_url(user))


@bp.post("/citizens/<int:citizen_id>/enrolment-code")
def issue_code(citizen_id: int):
    citizen = get_citizen_or_404(citizen_id)
    code, row = enrolment.issue_code(citizen, current_user)
    return render("auth/enrolment_code.html", "auth/_enrolment_code.html", citizen=citizen, code=code, row=row)


@bp.post("/citizens/<int:citizen_id>/passkeys/revoke")
def revoke_passkeys(citizen_id: int):
    """A lost phone: the worker removes the citizen's passkeys and ends their sessions."""
    citizen = get_citizen_or_404(citizen_id)
    if citizen.user is not None:
        for credential in list(citizen.user.credentials):
            db.session.delete(credential)
        end_all_sessions(citizen.user)
    return redirect(url_for("citizens.show", citizen_id=citizen.id))


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    response = redirect(safe_next() or url_for("auth.home"))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure)
        if current_user.is_authenticated:
            current_user.locale = lang
    return response
