"""Security headers on every response, and the one commit per request."""
import logging

from flask import Flask, request
from flask_login import current_user

from sqlalchemy.exc import SQLAlchemyError

from server.audit.operations import flush_pending
from server.extensions import db

log = logging.getLogger(__name__)

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])


def init_app(app: Flask) -> None:
    # after_request hooks run in reverse order: commit first, then headers on whatever goes out.
    app.after_request(add_security_headers)
    app.after_request(finish_request)


def finish_request(response):
    """Commit the request's work once; on an error status keep only its audit events.

    If the commit itself fails, the client must not be told its write succeeded.
    """
    failed = response.status_code >= 400
    try:
        flush_pending(rolled_back=failed)
    except SQLAlchemyError:
        log.warning("commit failed at the end of the request", exc_info=False)
        db.session.rollback()
        if not failed:
            from server.errors import error_response

            return error_response(503)
    return response


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    authenticated = current_user and current_user.is_authenticated
    if authenticated and not request.path.startswith("/static/"):
        # Browsers and proxies keep nothing; the service worker keeps its own encrypted copy.
        headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
    return response
