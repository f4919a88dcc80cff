"""Reassignment (SECURITY.md #4) over every route: the previous worker is refused on the very
next request after a transfer, and a substitute on the next request after the substitution
ends, on every route that names the citizen or something of theirs (from `app.url_map`), as a
page, an htmx fragment and JSON; nothing changes and no canary of the case leaks. The change is
made the way a team leader makes it, through the team's own routes, while both workers stay
logged in with the clients they used a moment before.
"""
from server.policy import PUBLIC
from tests.security.forms import plausible
from tests.security.helpers import client_for, form_for, send
from tests.security.world import build_path, diff, fingerprint, takes_citizen_object
from tests.security.worlds import fresh_world
from tests.test_policy import routes

HEADER_VARIANTS = [{}, {"HX-Request": "true"}, {"Accept": "application/json"}]


def refused_everywhere(app, discovered, world, client, label) -> tuple[int, list[str]]:
    """Every citizen route as `client`: (requests, problems)."""
    table = app.extensions["ledsager_policy"]
    canaries = world.cases["own"].canaries
    problems, checked = [], 0
    for index, (rule, method) in enumerate(routes(app)):
        roles = table[rule.endpoint]
        if not takes_citizen_object(rule) or roles is PUBLIC:
            continue
        path = build_path(rule, world.ids_for("own", world.users["own"]))
        headers = HEADER_VARIANTS[index % len(HEADER_VARIANTS)]
        before = fingerprint()
        if method == "GET":
            response = client.get(path, headers=headers)
        else:
            fields, kinds = form_for(discovered, "own", rule.endpoint, path)
            response = send(client, path, "form", plausible(fields, kinds), headers)
        checked += 1
        status, body = response.status_code, response.get_data(as_text=True)
        where = f"{label}: {method} {path} {headers or ''} -> {status}"
        if status not in (403, 404):
            problems.append(where + " (expected 403/404)")
        if [name for name, value in canaries.items() if value in body]:
            problems.append(where + " carries the case's canaries")
        if diff(before, fingerprint()):
            problems.append(where + f" changed {diff(before, fingerprint())}")
    return checked, problems


def test_the_previous_worker_and_an_ended_substitute_are_refused_on_every_route_at_once(app, discovered, make):
    world = fresh_world()
    citizen_id = world.citizen.id
    own = client_for(app, world, {world.users["own"].role}, actor=world.users["own"])
    substitute = client_for(app, world, {world.users["substitute"].role}, actor=world.users["substitute"])
    leader = client_for(app, world, {world.users["supervisor"].role}, actor=world.users["supervisor"])
    # A moment before: both work on the case.
    assert own.get(f"/citizens/{citizen_id}").status_code == 200
    assert substitute.get(f"/citizens/{citizen_id}").status_code == 200

    # The team leader transfers the citizen to a colleague...
    moved = leader.post(f"/team/citizens/{citizen_id}/reassign",
                        data={"worker_id": world.users["same_team"].id, "reason": "Ny fordeling i teamet"})
    assert moved.status_code in (302, 303), moved.get_data(as_text=True)[:500]
    transfer_checked, problems = refused_everywhere(app, discovered, world, own, "previous worker")

    # ...and ends the substitution early.
    ended = leader.post(f"/team/citizens/{citizen_id}/substitutions/{world.substitution_id}/end")
    assert ended.status_code in (302, 303), ended.get_data(as_text=True)[:500]
    substitution_checked, more = refused_everywhere(app, discovered, world, substitute, "ended substitute")
    problems += more

    new_worker = client_for(app, world, {world.users["same_team"].role}, actor=world.users["same_team"])
    assert new_worker.get(f"/citizens/{citizen_id}").status_code == 200
    print(f"\nreassignment: {transfer_checked} requests by the previous worker after the transfer, "
          f"{substitution_checked} by the substitute after the substitution ended; "
          f"{len(problems)} not refused, leaking or changing rows")
    for line in problems:
        print("  " + line)
    assert problems == []
