"""The role policy, checked over every route the app has (SECURITY.md #1).

Routes are enumerated from `url_map`, so a new route without a policy entry fails here (and
the app refuses to start). For every route × method × role the answer must match the table:
a role outside the table gets 403 (anonymous: 401 or a redirect to log-in), a role inside it
never does. Ids in URLs point at nothing, so allowed roles get 404s from the per-citizen loader
rather than side effects.
"""
import pytest

from server.auth.models import Role
from server.policy import PUBLIC
from tests.conftest import login

ROLES = [None, Role.WORKER, Role.SUPERVISOR, Role.CITIZEN, Role.ADMIN]
PLACEHOLDERS = {"uuid": "00000000-0000-4000-8000-000000000000"}


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def build_url(rule) -> str:
    from werkzeug.routing.converters import NumberConverter

    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        values[name] = 999999 if isinstance(converter, NumberConverter) else PLACEHOLDERS.get(kind, "x")
    return rule.build(values, append_unknown=False)[1]


def test_every_route_has_a_policy_entry_and_the_table_has_no_stale_entries(app):
    table = app.extensions["ledsager_policy"]
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(table) == set()
    assert set(table) - endpoints == set()


@pytest.fixture
def users(make):
    team = make.team()
    return {
        Role.WORKER: make.worker(team=team),
        Role.SUPERVISOR: make.supervisor(team=team),
        Role.CITIZEN: make.citizen(worker=None, team=team, with_login=True).user,
        Role.ADMIN: make.admin(),
    }


def test_no_role_route_method_pair_deviates_from_the_policy_table(app, users):
    table = app.extensions["ledsager_policy"]
    deviations = []
    checked = 0
    for rule, method in routes(app):
        url = build_url(rule)
        allowed = table[rule.endpoint]
        for role in ROLES:
            client = app.test_client()
            if role is not None:
                login(client, users[role])
            response = client.open(url, method=method, headers={"Accept": "application/json"})
            status = response.status_code
            checked += 1
            if allowed is PUBLIC:
                ok = status not in (401, 403)
            elif role is None:
                ok = status == 401 or (status == 302 and "/login" in response.headers.get("Location", ""))
            elif role in allowed:
                ok = status not in (401, 403)
            else:
                ok = status == 403
            if not ok:
                deviations.append(f"{method} {url} as {role or 'anonymous'}: {status}")
    print(f"policy matrix: {checked} role x route x method pairs, {len(deviations)} deviations")
    assert deviations == []
