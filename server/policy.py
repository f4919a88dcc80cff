"""The role policy: every route and the roles that may use it, enforced before each request.

Each blueprint's views module declares `POLICY = {endpoint: roles}`; this module merges them
into one table. The app refuses to start if a route has no entry, so a new route cannot ship
without a decision about who may use it. Per-citizen checks come on top (server.access).
"""
import importlib

from flask import Flask, abort, request
from flask_login import current_user

from server.audit import operations as audit
from server.auth.models import Role

PUBLIC = frozenset({"public"})
WORKER = frozenset({Role.WORKER})
SUPERVISOR = frozenset({Role.SUPERVISOR})
CITIZEN = frozenset({Role.CITIZEN})
ADMIN = frozenset({Role.ADMIN})
CASE_STAFF = WORKER | SUPERVISOR
STAFF = CASE_STAFF | ADMIN
ANYONE_LOGGED_IN = STAFF | CITIZEN

CORE_POLICY = {"static": PUBLIC}


def build_table(app: Flask) -> dict[str, frozenset]:
    table = dict(CORE_POLICY)
    for name in app.blueprints:
        module = importlib.import_module(f"server.{name}.views")
        table.update(getattr(module, "POLICY", {}))
    return table


def init_app(app: Flask) -> None:
    table = build_table(app)
    missing = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - set(table))
    if missing:
        raise RuntimeError(f"routes without a policy entry: {', '.join(missing)}")
    app.extensions["ledsager_policy"] = table

    @app.before_request
    def enforce_policy():
        if request.endpoint is None:
            return None  # 404/405: nothing to protect
        roles = table[request.endpoint]
        if roles is PUBLIC:
            return None
        if not current_user.is_authenticated:
            return app.login_manager.unauthorized()
        if current_user.role not in roles:
            audit.record_now("denied", subject=request.endpoint, outcome="forbidden")
            abort(403)
        return None
