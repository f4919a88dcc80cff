"""Security headers on every response, and the one commit per request."""
import logging

from flask import Flask, g, request
from flask_babel import gettext as _
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
# CSP acts only on documents and workers. Everything else (CSS, scripts, images, JSON, the
# manifest) gets the shortest policy that forbids everything, should it ever be opened as a
# document; base-uri and frame-ancestors do not fall back to default-src, so they are named.
CSP_NOT_A_DOCUMENT = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'"
DOCUMENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml"})
# The service worker's own script: its CSP is the worker's policy (fetch, importScripts).
WORKER_SCRIPT = "/sw.js"


PUBLIC_FILES = frozenset({"/sw.js", "/manifest.webmanifest", "/favicon.ico"})


def is_public_file(path: str) -> bool:
    """Files that are the same for everyone: static assets, the service worker and its scripts,
    the manifest, the favicon."""
    return path.startswith(("/static/", "/sw/")) or path in PUBLIC_FILES

# HTML forms post these; anything else reaches only views marked @accepts_json.
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", ""})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def init_app(app: Flask) -> None:
    app.before_request(check_request_body)
    # after_request hooks run in reverse order: commit first, then headers on whatever goes out.
    app.after_request(add_security_headers)
    app.after_request(finish_request)


def accepts_json(view):
    """Mark a view that reads a JSON body (passkey ceremonies, push subscriptions)."""
    view.accepts_json = True
    return view


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def check_request_body():
    """Refuse bodies a view was not written for, before any view or form parses them.

    Flask-WTF reads a JSON body as form data, so lists, numbers and objects would reach
    validators written for text (a 500). A NUL byte is malformed text that PostgreSQL refuses.
    Doing this once here keeps every form route to "form posts only" without each package
    guarding itself.
    """
    if request.method not in BODY_METHODS:
        return None
    from flask import current_app

    from server.errors import error_response

    view = current_app.view_functions.get(request.endpoint)
    if view is None:
        return None
    # Reading the body enforces MAX_CONTENT_LENGTH (413) also for chunked bodies and for
    # actions that would never read it themselves.
    request.get_data(cache=True)
    if getattr(view, "accepts_json", False) and request.mimetype == "application/json":
        body = request.get_json(silent=True)
        if (body is None and request.get_data()) or _has_nul(body):
            return error_response(400)
        return None
    if request.mimetype not in FORM_TYPES or request.files:
        return error_response(400, _("Siden forventede en udfyldt formular."), reason="not-a-form")
    for key, value in request.form.items(multi=True):
        if _has_nul(key) or _has_nul(value):
            return error_response(400, _("Feltet «%(field)s» indeholder tegn, der ikke kan gemmes.", field=key[:40]),
                                  field=key[:40], reason="control-character")
    return None


def finish_request(response):
    """Commit the request's work once; on an error status keep only its audit events.

    If the commit itself fails, the client must not be told its write succeeded.
    """
    failed = response.status_code >= 400
    # Read before the commit expires the user row: asking afterwards costs a query per request.
    g.authenticated = bool(current_user and current_user.is_authenticated)
    try:
        flush_pending(rolled_back=failed)
    except SQLAlchemyError:
        log.warning("commit failed at the end of the request", exc_info=False)
        db.session.rollback()
        if not failed:
            from flask import make_response

            from server.errors import error_response

            return make_response(error_response(503))
    return response


def add_security_headers(response):
    """CSP, HSTS, nosniff and Referrer-Policy on every response (SECURITY.md #11). The headers
    that act only on documents (the full CSP, COOP, Permissions-Policy) go only on documents and
    the service worker's script: on a stylesheet or an icon they are bytes with no effect."""
    headers = response.headers
    document = response.mimetype in DOCUMENT_TYPES or request.path == WORKER_SCRIPT
    headers.setdefault("Content-Security-Policy", CSP if document else CSP_NOT_A_DOCUMENT)
    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    if document:
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    # Public, user-independent files (static assets, the service worker's scripts, the manifest)
    # are cached by their own rules (server/pwa/assets.py); they do not look at the session, so
    # they carry no Vary: Cookie either.
    if is_public_file(request.path):
        if request.path.startswith(("/static/", "/sw/")):
            # Subresources: a download name and byte ranges do nothing for them, and the ETag is
            # the one validator a revalidation needs.
            unused = ["Content-Disposition", "Accept-Ranges"] + (["Last-Modified"] if "ETag" in headers else [])
            for name in unused:
                headers.pop(name, None)
        return response
    # finish_request noted it before its commit; errors raised past it (a 500) ask the user.
    authenticated = g.authenticated if "authenticated" in g else current_user and current_user.is_authenticated
    if authenticated:
        # Browsers and proxies keep nothing; the service worker keeps its own encrypted copy.
        headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
    return response
