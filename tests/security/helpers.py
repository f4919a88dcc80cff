"""Request helpers shared by the generic security tests."""
from werkzeug.datastructures import MultiDict

from server.policy import PUBLIC
from tests.conftest import login
from tests.test_policy import routes


def post_routes(app):
    return [rule for rule, method in routes(app) if method == "POST"]


def client_for(app, world, roles, actor=None):
    client = app.test_client()
    if roles is not PUBLIC:
        login(client, actor or world.actor_for(roles))
    return client


def send(client, path, kind, body, headers=None):
    if kind == "json":
        return client.post(path, json=body, headers=headers or {})
    return client.post(path, data=MultiDict(body) if body else {}, headers=headers or {})


def actor_name(world, roles):
    actor = world.actor_for(roles)
    return next((n for n, u in world.users.items() if u is actor), None)


def form_for(discovered, name, endpoint, path):
    """(fields, kinds) of the real form posting to this route, or ({}, {}) if none was seen."""
    by_actor, _pool = discovered
    per_path = by_actor.get(name or "own", {}).get(endpoint) or by_actor.get("own", {}).get(endpoint) or {}
    if path in per_path:
        return per_path[path]
    return next(iter(per_path.values()), ({}, {}))


def fields_for(discovered, name, endpoint, path):
    return form_for(discovered, name, endpoint, path)[0]
