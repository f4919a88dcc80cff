"""Bad input (SECURITY.md #12): every POST route, fed generated bodies as a logged-in role that
may use it on real objects, answers 0 responses >= 500, and a 4xx changes 0 rows.

Routes come from `app.url_map` (so routes added later are fuzzed too); the starting values
come from the real forms on the role's pages (tests/security/forms.py). Bounded for CI;
LEDSAGER_FUZZ_EXAMPLES=10000 runs the benchmark size per form.
"""
import time

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from werkzeug.datastructures import MultiDict

from server.policy import PUBLIC
from tests.conftest import login
from tests.security.forms import discover_forms, forms_by_endpoint
from tests.security.fuzz import HEADERS, form_body
from tests.security.world import FUZZ_EXAMPLES, build_path, diff, fingerprint, world_intact
from tests.security.worlds import fresh_world
from tests.test_policy import routes

EXAMPLES = FUZZ_EXAMPLES or 10


def post_routes(app):
    return [rule for rule, method in routes(app) if method == "POST"]


@pytest.fixture
def discovered(app, make):
    """Forms seen by each acting role, keyed by endpoint then action path."""
    world = fresh_world()
    by_actor = {}
    for name in ("own", "supervisor", "citizen", "admin"):
        actor = world.users[name]
        forms = discover_forms(app, login(app.test_client(), actor), world.ids_for("own", actor))
        by_actor[name] = forms_by_endpoint(app, forms)
    pool = sorted({field for forms in by_actor.values() for per_path in forms.values()
                   for fields, _kinds in per_path.values() for field in fields})
    return by_actor, pool


def actor_name(world, roles):
    actor = world.actor_for(roles)
    return next((n for n, u in world.users.items() if u is actor), None)


def client_for(app, world, roles):
    client = app.test_client()
    if roles is not PUBLIC:
        login(client, world.actor_for(roles))
    return client


def send(client, path, kind, body, headers):
    if kind == "json":
        return client.post(path, json=body, headers=headers)
    return client.post(path, data=MultiDict(body) if body else {}, headers=headers)


def fields_for(discovered, name, endpoint, path):
    by_actor, _pool = discovered
    per_path = by_actor.get(name or "own", {}).get(endpoint) or by_actor.get("own", {}).get(endpoint) or {}
    if path in per_path:
        return per_path[path][0]
    return next(iter(per_path.values()), ({}, {}))[0]


def test_no_post_route_answers_5xx_or_half_saves_on_generated_input(app, discovered, make):
    table = app.extensions["ledsager_policy"]
    _by_actor, pool = discovered
    failures, requests, started = [], 0, time.monotonic()
    rules = post_routes(app)
    world = None
    for rule in rules:
        if world is None or not world_intact(world):
            world = fresh_world()
        roles = table[rule.endpoint]
        name = actor_name(world, roles)
        path = build_path(rule, world.ids_for("own", world.actor_for(roles)))
        fields = fields_for(discovered, name, rule.endpoint, path)
        seen, last = [], [None]

        @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(body=form_body(fields, pool), headers=HEADERS)
        def fuzz(body, headers):
            nonlocal requests
            kind, payload = body
            client = client_for(app, world, roles)
            before = last[0] or fingerprint()
            response = send(client, path, kind, payload, headers)
            requests += 1
            status = response.status_code
            last[0] = None
            if status >= 500:
                seen.append(f"{rule.endpoint} {path}: {status} for {kind} {str(payload)[:300]}")
            elif 400 <= status < 500:
                last[0] = after = fingerprint()
                changed = diff(before, after)
                if changed:
                    seen.append(f"{rule.endpoint} {path}: {status} but changed {changed} for {kind} {str(payload)[:300]}")

        fuzz()
        failures += seen[:3]
    print(f"bad input: {requests} generated requests over {len(rules)} POST routes "
          f"({EXAMPLES} per route), {len(failures)} failures (5xx or 4xx with rows changed) "
          f"in {time.monotonic() - started:.0f} s")
    for failure in failures:
        print("  " + failure)
    assert failures == []
