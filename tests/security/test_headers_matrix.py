"""Headers (SECURITY.md #11) over the full matrix: every route × method, as an allowed role on
real objects and as anonymous, as a page, an htmx fragment and JSON, plus errors and static
files: 100 % carry CSP (the full policy on HTML, at least the locked-down `default-src 'none'`
one on anything else), HSTS, nosniff and Referrer-Policy; every authenticated response that is
not a static file says `Cache-Control: no-store`; every cookie set is HttpOnly and SameSite."""
from server.policy import PUBLIC
from tests.security.helpers import client_for
from tests.security.world import build_path
from tests.security.worlds import fresh_world
from tests.test_policy import routes
from tests.test_security_headers import csp_problems

VARIANTS = [{}, {"HX-Request": "true"}, {"Accept": "application/json"}]


def header_problems(response, authenticated: bool, path: str) -> list[str]:
    headers = response.headers
    problems = csp_problems(response)
    if not headers.get("Strict-Transport-Security", "").startswith("max-age="):
        problems.append("HSTS")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("nosniff")
    if headers.get("Referrer-Policy") != "no-referrer":
        problems.append("Referrer-Policy")
    if authenticated and not path.startswith("/static/") and "no-store" not in headers.get("Cache-Control", ""):
        problems.append("Cache-Control: no-store")
    for cookie in headers.getlist("Set-Cookie"):
        lowered = cookie.lower()
        if "httponly" not in lowered or "samesite" not in lowered:
            problems.append(f"cookie flags: {cookie.split(';')[0].split('=')[0]}")
    return problems


def test_every_response_of_every_route_carries_the_security_headers(app, make):
    table = app.extensions["ledsager_policy"]
    world = fresh_world()
    problems, checked = [], 0
    for index, (rule, method) in enumerate(routes(app)):
        roles = table[rule.endpoint]
        path = build_path(rule, world.ids_for("own", world.actor_for(roles)))
        for authenticated in (False, True):
            if authenticated and roles is PUBLIC:
                continue
            headers = VARIANTS[(index + authenticated) % len(VARIANTS)]
            client = client_for(app, world, roles) if authenticated else app.test_client()
            response = client.open(path, method=method, headers=headers)
            checked += 1
            # Log-out ends the session inside the request: its redirect is no longer authenticated.
            found = header_problems(response, authenticated and rule.endpoint != "auth.logout", path)
            if found:
                problems.append(f"{method} {path} {'(logged in)' if authenticated else '(anonymous)'} "
                                f"{response.status_code}: {found}")
    for path in ("/does-not-exist", "/static/css/app.css", "/static/nope.css"):
        response = app.test_client().get(path)
        checked += 1
        found = header_problems(response, False, path)
        if found:
            problems.append(f"GET {path} {response.status_code}: {found}")
    print(f"headers: {checked} responses (every route x method, anonymous and logged in, page/htmx/JSON, "
          f"errors, static), {len(problems)} missing a security header or flag")
    for line in problems[:30]:
        print("  " + line)
    assert problems == []
