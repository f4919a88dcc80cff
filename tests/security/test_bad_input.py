"""Bad input (SECURITY.md #12): every POST route, fed generated bodies as a logged-in role that
may use it on real objects, answers 0 responses >= 500, and a 4xx changes 0 rows.

Routes come from `app.url_map` (so routes added later are fuzzed too); the starting values
come from the real forms on the role's pages (tests/security/forms.py). Bounded for CI;
LEDSAGER_FUZZ_EXAMPLES=10000 runs the benchmark size per form.
"""
import os
import time

from hypothesis import HealthCheck, Phase, given, settings

from server.extensions import db

from tests.security.fuzz import HEADERS, form_body
from tests.security.world import FUZZ_EXAMPLES, build_path, diff, fingerprint, world_intact
from tests.security.helpers import actor_name, client_for, fields_for, post_routes, send
from tests.security.worlds import fresh_world
from tests.security.writes import CommittedWrites

# CI: 10 per route with a fixed seed (reproducible); the benchmark run is random.
EXAMPLES = FUZZ_EXAMPLES or 10
# The digest of every table costs more as accepted requests add rows: at benchmark size it
# cross-checks the committed-writes watcher on every 50th request rather than on each.
SPOT_CHECK = 50 if FUZZ_EXAMPLES else 1
CHUNK = 1000


GENERIC_422 = "Nogle felter skal rettes."


def names_the_field(response) -> bool:
    """A 422 says which field and why: JSON {errors: {field: [reason]}}, the form with the error
    next to its field, or (one-field actions) a specific message rather than the generic one."""
    if response.is_json:
        body = response.get_json(silent=True) or {}
        errors = body.get("errors") or {}
        return any(messages for messages in errors.values()) or bool(body.get("error")) and \
            body["error"] != GENERIC_422
    html = response.get_data(as_text=True)
    if 'class="error"' in html:
        return True
    return "error-summary" not in html and GENERIC_422 not in html


def test_no_post_route_answers_5xx_or_half_saves_on_generated_input(app, discovered, make):
    """A 4xx must leave every row as it was. Checked two ways: the committed writes the engine
    saw (tests/security/writes.py, cheap, every request) and the digest of every table (exact but
    growing with the data: every request in the CI size, every SPOT_CHECK-th at benchmark size)."""
    table = app.extensions["ledsager_policy"]
    _by_actor, pool = discovered
    failures, requests, started, rejections, digests = [], 0, time.monotonic(), [0], [0]
    only = {name for name in os.environ.get("LEDSAGER_FUZZ_ONLY", "").split(",") if name}
    rules = [rule for rule in post_routes(app) if not only or rule.endpoint in only]
    # LEDSAGER_FUZZ_SHARD=i/n: this process takes every n-th route from the i-th (0-based), so
    # the benchmark size can run as n processes, each with its own database.
    shard, shards = (int(part) for part in os.environ.get("LEDSAGER_FUZZ_SHARD", "0/1").split("/"))
    rules = rules[shard::shards]
    world, watch = None, CommittedWrites(db.engine)
    for rule in rules:
        route_failures = []
        # In chunks, each on a freshly built world: accepted requests add rows (10,000 network
        # persons for one citizen is no state a real case reaches, and pages listing them grow).
        for done in range(0, EXAMPLES, CHUNK):
            if world is None or done or not world_intact(world):
                world = fresh_world()
            roles = table[rule.endpoint]
            name = actor_name(world, roles)
            path = build_path(rule, world.ids_for("own", world.actor_for(roles)))
            fields = fields_for(discovered, name, rule.endpoint, path)
            seen, session = [], [None]

            @settings(max_examples=min(CHUNK, EXAMPLES - done), deadline=None, database=None, phases=[Phase.generate],
                      derandomize=not FUZZ_EXAMPLES,
                      suppress_health_check=list(HealthCheck))
            @given(body=form_body(fields, pool), headers=HEADERS)
            def fuzz(body, headers):
                nonlocal requests
                kind, payload = body
                # One log-in serves the route's requests until one of them ends or refuses the session.
                client = session[0] = session[0] or client_for(app, world, roles)
                before = fingerprint() if requests % SPOT_CHECK == 0 else None
                watch.clear()
                response = send(client, path, kind, payload, headers)
                requests += 1
                status = response.status_code
                if status in (302, 303, 401, 403):
                    session[0] = None
                if status >= 500:
                    seen.append(f"{rule.endpoint} {path}: {status} for {kind} {str(payload)[:300]}")
                elif 400 <= status < 500:
                    if status == 422:
                        rejections[0] += 1
                        if not names_the_field(response):
                            seen.append(f"{rule.endpoint} {path}: 422 without a field and reason for {kind} "
                                        f"{str(payload)[:300]}")
                    changed = watch.tables()
                    if before is not None:
                        digests[0] += 1
                        changed |= set(diff(before, fingerprint()))
                    if changed:
                        seen.append(f"{rule.endpoint} {path}: {status} but changed {sorted(changed)} for {kind} "
                                    f"{str(payload)[:300]}")

            fuzz()
            route_failures += seen
        failures += route_failures[:3]
        if FUZZ_EXAMPLES:
            print(f"  {rule.endpoint}: {EXAMPLES} requests, {len(route_failures)} failures "
                  f"({time.monotonic() - started:.0f} s so far)", flush=True)
    watch.close()
    print(f"bad input: {requests} generated requests over {len(rules)} POST routes "
          f"({EXAMPLES} per route), {len(failures)} failures (5xx or 4xx with rows changed) "
          f"in {time.monotonic() - started:.0f} s; {rejections[0]} rejections (422) checked for a named field and reason; "
          f"every 4xx checked for committed writes, {digests[0]} also against a digest of every table")
    for failure in failures:
        print("  " + failure)
    assert failures == []


def test_every_post_route_refuses_a_body_over_max_content_length_with_413(app, make):
    """A body over MAX_CONTENT_LENGTH is refused with 413 before any work is done."""
    from tests.security.worlds import fresh_world

    table = app.extensions["ledsager_policy"]
    world = fresh_world()
    limit = app.config["MAX_CONTENT_LENGTH"]
    wrong, rules = [], post_routes(app)
    for rule in rules:
        roles = table[rule.endpoint]
        path = build_path(rule, world.ids_for("own", world.actor_for(roles)))
        before = fingerprint()
        for kind in ("form", "json"):
            client = client_for(app, world, roles)
            if kind == "form":
                response = client.post(path, data={"note": "x" * (limit + 1)})
            else:
                response = client.post(path, data='{"note": "' + "x" * (limit + 1) + '"}',
                                       content_type="application/json", headers={"Accept": "application/json"})
            if response.status_code != 413:
                wrong.append(f"{rule.endpoint} {kind}: {response.status_code}")
        if diff(before, fingerprint()):
            wrong.append(f"{rule.endpoint}: rows changed by an oversized body")
    print(f"oversized bodies: {len(wrong)} of {2 * len(rules)} requests over {limit} bytes not answered 413")
    for line in wrong:
        print("  " + line)
    assert wrong == []


def test_malformed_json_is_answered_400_or_ignored_never_5xx_and_saves_nothing(app, make):
    from tests.security.worlds import fresh_world

    table = app.extensions["ledsager_policy"]
    world = fresh_world()
    wrong, rules, refused = [], post_routes(app), 0
    bodies = ['{"note": ', "[1, 2", "\xff\xfe", '{"a": NaN}', "null", "[]", '"text"', "{" * 5000]
    for rule in rules:
        roles = table[rule.endpoint]
        path = build_path(rule, world.ids_for("own", world.actor_for(roles)))
        for body in bodies:
            before = fingerprint()
            response = client_for(app, world, roles).post(
                path, data=body.encode("utf-8", "surrogatepass"), content_type="application/json",
                headers={"Accept": "application/json"})
            status = response.status_code
            refused += status == 400
            if status >= 500:
                wrong.append(f"{rule.endpoint} {body[:20]!r}: {status}")
            elif status >= 400 and diff(before, fingerprint()):
                wrong.append(f"{rule.endpoint} {body[:20]!r}: {status} and rows changed")
    print(f"malformed JSON: {len(rules) * len(bodies)} requests, {refused} answered 400, "
          f"{len(wrong)} answered 5xx or half-saved")
    for line in wrong:
        print("  " + line)
    assert wrong == []


ONE_FIELD_VALUES = [" ", "a\x00b", "A" * 5000, "99999999999999999999", "2024-13-45", "-1"]


def test_each_field_of_each_form_takes_each_classic_bad_value_without_a_5xx(app, discovered, make):
    """Deterministic sweep: the real form, one field at a time set to a classic bad value."""
    from tests.security.forms import plausible
    from tests.security.helpers import form_for

    table = app.extensions["ledsager_policy"]
    world, failures, requests = None, [], 0
    for rule in post_routes(app):
        roles = table[rule.endpoint]
        if world is None or not world_intact(world):
            world = fresh_world()
        path = build_path(rule, world.ids_for("own", world.actor_for(roles)))
        fields, kinds = form_for(discovered, actor_name(world, roles), rule.endpoint, path)
        base, last = plausible(fields, kinds), None
        for name in [n for n in fields if n != "csrf_token"]:
            for value in ONE_FIELD_VALUES:
                body = [(n, value if n == name else v) for n, v in base]
                if name not in dict(base):
                    body.append((name, value))
                before = last or fingerprint()
                response = send(client_for(app, world, roles), path, "form", body, {"Accept": "application/json"})
                requests += 1
                status = response.status_code
                last = fingerprint() if 400 <= status < 500 else None
                if status >= 500 or last is not None and diff(before, last):
                    failures.append(f"{rule.endpoint} {path} {name}={value[:12]!r}: {status}")
            if not world_intact(world):
                world, last = fresh_world(), None
    print(f"bad input: {requests} one-field requests ({len(ONE_FIELD_VALUES)} classic bad values per field), "
          f"{len(failures)} answered 5xx or half-saved")
    for line in failures:
        print("  " + line)
    assert failures == []
