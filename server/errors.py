"""Error pages and JSON errors: translated, no stack traces, 503 when the database is down."""
import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from server.extensions import db
from server.htmx import is_background_request, wants_json

log = logging.getLogger(__name__)


def messages() -> dict[int, str]:
    return {
        400: _("Forespørgslen kunne ikke forstås."),
        401: _("Du skal logge ind igen."),
        403: _("Du har ikke adgang til denne side."),
        404: _("Siden findes ikke, eller du har ikke adgang til den."),
        405: _("Handlingen er ikke tilladt her."),
        409: _("Posten findes allerede med et andet indhold."),
        413: _("Det sendte er for stort."),
        422: _("Nogle felter skal rettes."),
        429: _("For mange forsøg. Vent lidt, og prøv igen."),
        500: _("Der skete en fejl. Prøv igen om lidt."),
        503: _("Ledsager kan ikke nå databasen lige nu. Det du har gemt på telefonen, venter sikkert."),
    }


def error_response(status: int, message: str | None = None, **extra):
    message = message or messages().get(status) or messages()[500]
    if wants_json() or is_background_request():
        return jsonify(error=message, **extra), status
    template = "errors/plain.html" if status >= 500 else "errors/error.html"
    return render_template(template, status=status, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_response(400, _("Sikkerhedsnøglen er udløbet. Genindlæs siden, og prøv igen."), reason="csrf")

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code in (301, 302, 303, 307, 308):
            return error
        if error.code == 429:
            from server.audit import operations as audit

            audit.record("rate_limited", subject=request.endpoint, outcome="limited")
        return error_response(error.code or 500)

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_down(error):
        # Connection-level failures: plain 503, no details; the pool recovers by itself
        # (pool_pre_ping) once the database is back.
        log.warning("database unavailable: %s", type(error).__name__)
        # Rendering must not touch the database again: no user lookup for the page or locale.
        from flask import current_app, g

        g._login_user = current_app.login_manager.anonymous_user()
        _safe_rollback()
        return error_response(503)

    @app.errorhandler(Exception)
    def unexpected(error):
        log.exception("unhandled error")
        _safe_rollback()
        return error_response(500)


def _safe_rollback():
    try:
        db.session.rollback()
    except Exception:  # the database may be gone; the response must still go out
        pass
