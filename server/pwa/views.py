"""The installable app: service worker scripts, web manifest, offline page, outbox page, favicon."""
import os

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _

from server.htmx import render
from server.policy import CASE_STAFF, PUBLIC
from server.pwa import assets
from server.pwa.assets import service_worker_dir

bp = Blueprint("pwa", __name__)
bp.record_once(lambda state: assets.init_app(state.app))

POLICY = {
    "pwa.service_worker": PUBLIC,
    "pwa.worker_script": PUBLIC,
    "pwa.manifest": PUBLIC,
    "pwa.offline": PUBLIC,
    "pwa.outbox": CASE_STAFF,
    "pwa.favicon": PUBLIC,
}

# The scripts sw.js imports (and the page loads for its own outbox); nothing else is served.
WORKER_SCRIPTS = frozenset(assets.WORKER_MODULES)


def _conditional(response, cache_control: str = "no-cache"):
    """An ETag so a revalidation (no-cache) is a 304 without a body."""
    response.headers["Cache-Control"] = cache_control
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/sw.js")
def service_worker():
    # The worker's hashed module and shell URLs are written into the script itself, so any change
    # to an asset changes sw.js byte for byte, and the browser installs the new worker.
    with open(os.path.join(service_worker_dir(), "sw.js"), encoding="utf-8") as f:
        body = assets.worker_prologue() + f.read()
    response = current_app.response_class(body, mimetype="text/javascript")
    # Scope "/" for a script served from /sw.js is the default; the header makes it explicit.
    response.headers["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker on every navigation; no-cache keeps that check honest.
    return _conditional(response)


@bp.get("/sw/<name>.js")
def worker_script(name: str):
    if name not in WORKER_SCRIPTS:
        abort(404)
    # Cache-Control: immutable for the hashed URL, else no-cache (server/pwa/assets.py).
    response = send_from_directory(service_worker_dir(), f"{name}.js", mimetype="text/javascript",
                                   conditional=True)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    icon = lambda name: url_for("static", filename=f"icons/{name}")  # noqa: E731
    body = {
        "name": "Ledsager",
        "short_name": "Ledsager",
        "description": _("Arbejdsredskab til Intensive Case Management"),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": "#1b4d89",
        "background_color": "#ffffff",
        "lang": "da",
        "icons": [
            {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": icon("maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return _conditional(response)


@bp.get("/offline")
def offline():
    # Precached by the service worker for every user: it must hold no user data (no base.html).
    return _conditional(current_app.make_response(render_template("pwa/offline.html")))


@bp.get("/outbox")
def outbox():
    # The entries live only on the phone; the page renders them from IndexedDB.
    return render("pwa/outbox.html")


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(os.path.join(current_app.static_folder, "icons"), "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=86400)
