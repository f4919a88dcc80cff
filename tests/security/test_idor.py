"""Per-citizen access (SECURITY.md #2), extending tests/test_access.py to every route.

Over every route with a citizen or citizen-owned object in its URL (from `app.url_map`) and
every relation to that citizen — own worker, substitute, same-team colleague, other team,
own supervisor, other supervisor, the citizen, another citizen, admin — as a page, an htmx
fragment and a JSON request: relations without a right to the citizen get 403/404 (never a
2xx/3xx), change 0 rows, and no response that is not a 200 carries any of the citizen's
canary values. No response about one citizen carries the other team's citizen's canaries.
Random ids (hypothesis) as a colleague with no right to either case leak nothing either.
"""
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from server.policy import PUBLIC
from tests.security.forms import plausible
from tests.security.helpers import client_for, form_for, send
from tests.security.world import FUZZ_EXAMPLES, build_path, diff, fingerprint, takes_citizen_object, world_intact
from tests.security.worlds import fresh_world
from tests.test_policy import routes

RELATIONS = ["own", "substitute", "same_team", "other_team", "supervisor", "other_supervisor", "citizen",
             "other_citizen", "admin"]
RIGHTFUL = {"own", "substitute", "supervisor", "citizen"}
HEADER_VARIANTS = [{}, {"HX-Request": "true"}, {"Accept": "application/json"}]
# Objects that belong to one person, not to whoever may see the citizen.
OWNED_BY_OWN_WORKER = {"reminder_id"}


def rightful(rule, relation, world, roles) -> bool:
    user = world.users[relation]
    if user.role not in roles:
        return False
    if set(rule.arguments) & OWNED_BY_OWN_WORKER:
        return relation == "own"
    return relation in RIGHTFUL


def leaked(body: str, canaries: dict) -> list[str]:
    return [name for name, value in canaries.items() if value in body]


def test_no_relation_without_a_right_reaches_a_citizen_on_any_route(app, discovered, make):
    table = app.extensions["ledsager_policy"]
    world, problems, checked, served = None, [], 0, 0
    selected = [(r, m) for r, m in routes(app) if takes_citizen_object(r) and table[r.endpoint] is not PUBLIC]
    for index, (rule, method) in enumerate(selected):
        roles = table[rule.endpoint]
        for number, relation in enumerate(RELATIONS):
            if world is None or not world_intact(world):
                world = fresh_world()
            own, other = world.cases["own"], world.cases["other"]
            actor = world.users[relation]
            path = build_path(rule, world.ids_for("own", world.users["own"]))
            headers = HEADER_VARIANTS[(index + number) % len(HEADER_VARIANTS)]
            allowed = rightful(rule, relation, world, roles)
            client = client_for(app, world, roles, actor=actor)
            before = None if allowed else fingerprint()
            if method == "GET":
                response = client.get(path, headers=headers)
            else:
                fields, kinds = form_for(discovered, "own", rule.endpoint, path)
                response = send(client, path, "form", plausible(fields, kinds) if not allowed else [], headers)
            checked += 1
            status, body = response.status_code, response.get_data(as_text=True)
            label = f"{method} {path} as {relation} {headers or ''}: {status}"
            if leaked(body, other.canaries):
                problems.append(f"{label}: carries the other team's citizen's {leaked(body, other.canaries)}")
            if allowed:
                served += status < 400
                if method == "GET" and status >= 400:
                    problems.append(f"{label}: refused a relation with a right to the citizen")
                continue
            if status not in (401, 403, 404):
                problems.append(f"{label}: expected 403/404")
            if status != 200 and leaked(body, own.canaries):
                problems.append(f"{label}: body carries {leaked(body, own.canaries)}")
            changed = diff(before, fingerprint())
            if changed:
                problems.append(f"{label}: changed {changed}")
    print(f"IDOR: {checked} route x relation x variant requests ({len(selected)} routes, {len(RELATIONS)} "
          f"relations; page/htmx/JSON), {served} served to rightful relations, {len(problems)} leaks or wrong answers")
    for line in problems:
        print("  " + line)
    assert problems == []


IDS = st.one_of(st.integers(min_value=-(2**63), max_value=2**63), st.integers(min_value=0, max_value=50))


def test_random_ids_leak_nothing_to_a_colleague_without_a_right(app, make):
    table = app.extensions["ledsager_policy"]
    world = fresh_world()
    canaries = {**world.cases["own"].canaries, **{"o" + k: v for k, v in world.cases["other"].canaries.items()}}
    actor = world.users["same_team"]
    problems, sent = [], 0
    selected = [(r, m) for r, m in routes(app) if takes_citizen_object(r) and table[r.endpoint] is not PUBLIC
                and actor.role in table[r.endpoint]]
    for rule, method in selected:
        names = sorted(rule.arguments)

        @settings(max_examples=FUZZ_EXAMPLES or 5, deadline=None, database=None, phases=[Phase.generate],
                  derandomize=not FUZZ_EXAMPLES,
                  suppress_health_check=list(HealthCheck))
        @given(values=st.fixed_dictionaries({name: IDS for name in names}), headers=st.sampled_from(HEADER_VARIANTS))
        def probe(values, headers):
            nonlocal sent
            try:
                path = rule.build({**world.ids_for("own", actor), **values}, append_unknown=False)[1]
            except Exception:
                return  # a negative number the converter refuses to build: no such URL exists
            client = client_for(app, world, table[rule.endpoint], actor=actor)
            response = client.open(path, method=method, headers=headers)
            sent += 1
            body = response.get_data(as_text=True)
            if response.status_code >= 500 or leaked(body, canaries):
                problems.append(f"{method} {path} {headers}: {response.status_code} {leaked(body, canaries)}")

        probe()
    print(f"IDOR: {sent} requests with random ids over {len(selected)} routes as a colleague without a right, "
          f"{len(problems)} leaks or 5xx")
    for line in problems[:20]:
        print("  " + line)
    assert problems == []


def test_an_id_beyond_the_database_integer_range_is_404_on_every_route(app, make):
    """Ids are 32-bit in the database; 2**31 and 2**63 must be 404, never a 5xx."""
    from werkzeug.routing.converters import NumberConverter

    table = app.extensions["ledsager_policy"]
    world = fresh_world()
    problems, sent = [], 0
    for rule, method in routes(app):
        numeric = [n for n, c in rule._converters.items() if isinstance(c, NumberConverter)]
        if not numeric:
            continue
        roles = table[rule.endpoint]
        for huge in (2**31, 2**63):
            values = {**world.ids_for("own", world.actor_for(roles)), **{n: huge for n in numeric}}
            try:
                path = rule.build(values, append_unknown=False)[1]
            except Exception:
                continue
            response = client_for(app, world, roles).open(path, method=method)
            sent += 1
            if response.status_code >= 500:
                problems.append(f"{method} {path}: {response.status_code}")
    print(f"huge ids: {sent} requests, {len(problems)} answered 5xx")
    for line in problems:
        print("  " + line)
    assert problems == []
