"""Content-hashed URLs for the static files and the service worker's scripts.

`url_for("static", filename=...)` and `url_for("pwa.worker_script", name=...)` add `?v=<hash of
the file's content>`; a request whose `v` is the file's current hash is answered with
`Cache-Control: public, max-age=31536000, immutable`, so the browser and the service worker keep
it without ever asking again. The URL changes exactly when the content does.

Hand-written (a few lines) because Flask has no cache busting of its own, and the maintained
extension (Flask-Static-Digest) works by a compile step that writes digested copies of the files
into the static folder, a build artefact to keep in step with the sources, and it does not cover
the service worker's scripts, which are served from service_worker/. The others on PyPI
(Flask-CacheBuster, Flask-Cache-Buster, Flask-Autoversion) have been unmaintained since 2017-2020.

A hash is computed once per file content and process (the cache key includes the file's mtime and
size, so an edited file gets a new hash without a restart in development). Outside debug mode the
version of each URL is also kept per process: the files do not change under a running server (a
deploy restarts it), and resolving and stat-ing the path for each of a page's dozen asset URLs
was a visible share of a page's CPU.
"""
import hashlib
import json
import os
from functools import lru_cache

from flask import Flask, current_app, has_request_context, request, url_for
from flask.sessions import SecureCookieSessionInterface

IMMUTABLE = "public, max-age=31536000, immutable"
HASH_LENGTH = 10

# The scripts sw.js imports, in order (the page loads the first three for its own outbox).
WORKER_MODULES = ("crypto", "outbox", "caches", "strategies")
PAGE_MODULES = ("crypto", "outbox", "caches")

# The app shell the service worker precaches: what the worker's offline pages (Today, citizens,
# contact and reminder forms, /outbox, /offline) need. Not: the icons other than the 192 px one
# and the manifest (only for installing, which needs the network), reminders.js (turns on push,
# which needs the network), the supervisor's and the citizen portal's files.
SHELL_STATIC = (
    "css/app.css", "css/pwa.css", "css/worker.css", "css/reminders.css",
    "js/app.js", "js/outbox.js", "js/worker.js",
    "vendor/htmx-2.0.11.min.js", "icons/icon-192.png",
)
# Shell pages without a content hash in the URL: the worker revalidates them at install.
SHELL_PAGES = ("/offline",)


def service_worker_dir() -> str:
    return os.path.join(os.path.dirname(current_app.root_path), "service_worker")


@lru_cache(maxsize=512)
def _hash_of(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:HASH_LENGTH]


def file_hash(path: str) -> str | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _hash_of(path, stat.st_mtime_ns, stat.st_size)


def _static_path(filename: str) -> str | None:
    folder = os.path.realpath(current_app.static_folder)
    path = os.path.realpath(os.path.join(folder, filename))
    return path if path.startswith(folder + os.sep) else None


def static_hash(filename: str) -> str | None:
    path = _static_path(filename)
    return file_hash(path) if path else None


def worker_script_hash(name: str) -> str | None:
    if name not in WORKER_MODULES:
        return None
    return file_hash(os.path.join(service_worker_dir(), f"{name}.js"))


def _version(endpoint: str, name: str) -> str | None:
    return static_hash(name) if endpoint == "static" else worker_script_hash(name)


def add_version(endpoint: str, values: dict) -> None:
    """URL defaults: every static and worker-script URL carries its content hash."""
    if "v" in values:
        return
    if endpoint == "static":
        name = values.get("filename")
    elif endpoint == "pwa.worker_script":
        name = values.get("name")
    else:
        return
    if name is None:
        return
    if current_app.debug:
        version = _version(endpoint, name)
    else:
        versions = current_app.extensions.setdefault("ledsager_asset_versions", {})
        if (endpoint, name) not in versions:
            versions[endpoint, name] = _version(endpoint, name)
        version = versions[endpoint, name]
    if version:
        values["v"] = version


def cache_headers(response):
    """A hashed URL that names the current content never changes: cache it for a year, immutable.
    Any other version (an old page asking for an old hash) gets today's file, revalidated."""
    if request.endpoint == "static":
        current = static_hash(request.view_args.get("filename", ""))
    elif request.endpoint == "pwa.worker_script":
        current = worker_script_hash(request.view_args.get("name", ""))
    else:
        return response
    if response.status_code not in (200, 304) or not current:
        return response
    response.headers["Cache-Control"] = IMMUTABLE if request.args.get("v") == current else "no-cache"
    response.headers.pop("Expires", None)
    # The content hash is the ETag too: short, and the same on every server (Werkzeug's own is
    # built from the file's mtime, which differs between machines).
    response.set_etag(current)
    return response.make_conditional(request)


def page_modules() -> list[str]:
    """The page modules' hashed URLs. Every page carries them: outside debug mode they are worked
    out once per process and root path, as the templates' asset URLs are (`asset_url_for`)."""
    if current_app.debug:
        return [url_for("pwa.worker_script", name=name) for name in PAGE_MODULES]
    memo = current_app.extensions.setdefault("ledsager_page_modules", {})
    key = request.script_root if has_request_context() else ""
    if key not in memo:
        memo[key] = [url_for("pwa.worker_script", name=name) for name in PAGE_MODULES]
    return memo[key]


def worker_assets() -> dict:
    """What sw.js needs to know, rendered into it (server/pwa/views.py): its modules and the shell,
    all with hashed URLs, and a version that changes whenever any of them does."""
    modules = [url_for("pwa.worker_script", name=name) for name in WORKER_MODULES]
    shell = list(SHELL_PAGES) + [url_for("static", filename=f) for f in SHELL_STATIC] + page_modules()
    everything = sorted(set(modules + shell + [url_for("static", filename=f) for f in all_static_files()]))
    version = hashlib.sha256("\n".join(everything).encode()).hexdigest()[:HASH_LENGTH]
    return {"version": version, "modules": modules, "shell": shell,
            "icon": url_for("static", filename="icons/icon-192.png")}


def all_static_files() -> list[str]:
    folder = current_app.static_folder
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            found.append(os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/"))
    return sorted(found)


def worker_prologue() -> str:
    return f"self.LEDSAGER_ASSETS = {json.dumps(worker_assets(), separators=(',', ':'))};\n"


class SessionInterface(SecureCookieSessionInterface):
    """Public files (server/security.py) are the same for everyone: no session cookie and no
    `Vary: Cookie` on them. Flask-Login's after-request hook reads the session on every request,
    which makes Flask add `Vary: Cookie` to every response; on an immutable file that would tie
    the browser's cached copy to one cookie value and fetch it again after every log-in."""

    def save_session(self, app, session, response):
        from server.security import is_public_file

        if is_public_file(request.path) and not session.modified:
            return None
        return super().save_session(app, session, response)


def asset_url_for(app: Flask):
    """The templates' `url_for`: a URL that stays the same all process long is built once per
    process and root path. Those are a page's menu links (an endpoint without arguments: the
    header and the tab bar name half a dozen) and, outside debug mode, an asset's whole URL (path
    and content version; every page names a dozen). Werkzeug's URL building is tens of
    microseconds each. Any other URL is built as Flask builds it."""
    build = app.url_for
    urls: dict = {}

    def url_for(endpoint: str, **values) -> str:
        if values and (endpoint not in ("static", "pwa.worker_script") or app.debug or len(values) != 1):
            return build(endpoint, **values)
        key = (request.script_root, endpoint, *values.items())
        url = urls.get(key)
        if url is None:
            url = urls[key] = build(endpoint, **values)
        return url

    return url_for


def init_app(app: Flask) -> None:
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = SessionInterface()
    app.jinja_env.globals["url_for"] = asset_url_for(app)
    app.url_defaults(add_version)
    app.after_request(cache_headers)
    app.jinja_env.globals["page_modules"] = page_modules
