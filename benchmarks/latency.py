"""Page latency under gunicorn, measured with wrk (a C load generator, scripted in Lua).

For each page and each concurrency (1 and 16 clients) wrk runs a closed loop for a fixed time:
every connection sends the next request as soon as the previous answer arrived. The latency wrk
records is the time from sending a request to receiving the whole answer on loopback, so it is
server time plus a few tens of microseconds of local TCP: we call it server time.

Sessions: every simulated client has its own login. Staff log in through the real form
(GET /login for the CSRF token, POST /login/password). Citizens log in with passkeys only, so
their sessions are minted directly: a LoginSession row in the benchmark database and the signed
Flask session cookie `{"sid", "_user_id", "_fresh"}` made with the server's SECRET_KEY
(app.session_interface.get_signing_serializer(app).dumps(...)) — the same cookie a passkey login
would give. wrk sends request i of a page with client i mod N's cookie (N = the concurrency), so
16 connections act as 16 logged-in people.

The floor (/bench/floor, server/bench/views.py) is measured before and after the pages at each
concurrency; a page's ratio is its p95 over the mean of the two floor p95s.

Connections per gunicorn worker: wrk opens its 16 keep-alive connections at the start and gunicorn's
worker that accepts a connection keeps it for the whole run. The kernel sometimes hands 13-16 of
them to one of the two workers; that run then uses one core for Python and measured the floor at
about 260 instead of about 600 requests/s (seen 2026-11-23: `ss` showed [16] and [1, 15] for the
slow runs, [5, 11] to [7, 9] for the others). A proxy in front of a production server spreads
requests over the workers, so such a run measures the accident, not the page: at 16 clients a run
where one worker holds more than three quarters of the connections is repeated (up to
`SPLIT_RETRIES` times), and the result records the split it had and the runs set aside.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field

import requests

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
BENCH_NOTE = "Benchmark-kontakt"

# The pages of PERFORMANCE.md, in report order. `role` says which kind of user opens them.
PAGES = [
    ("today", "worker", "GET", "/today"),
    ("caseload", "worker", "GET", "/citizens"),
    ("citizen", "worker", "GET", "/citizens/{citizen_id}"),
    ("log_contact", "worker", "POST", "/citizens/{citizen_id}/contacts"),
    ("my_plan", "citizen", "GET", "/me/plan"),
    ("team_board", "supervisor", "GET", "/team"),
]
FLOOR = ("floor", "worker", "GET", "/bench/floor")


@dataclass
class Client:
    role: str
    user_id: int
    cookie: str                      # "name=value" for the Cookie header
    csrf: str | None = None
    citizen_ids: list[int] = field(default_factory=list)


def csrf_token(html: str) -> str | None:
    match = CSRF.search(html)
    return (match.group(1) or match.group(2)) if match else None


def login_staff(base: str, username: str, password: str, cookie_name: str) -> requests.Session:
    s = requests.Session()
    page = s.get(f"{base}/login", timeout=30)
    token = csrf_token(page.text)
    r = s.post(f"{base}/login/password", allow_redirects=False, timeout=30,
               data={"username": username, "password": password, "csrf_token": token or ""})
    if r.status_code not in (302, 303) or cookie_name not in s.cookies:
        raise RuntimeError(f"log-in of {username} failed: {r.status_code}")
    return s


def mint_citizen_cookie(app, user_id: int) -> str:
    """A citizen's session without a passkey: LoginSession row + signed cookie (see module doc)."""
    import secrets

    from server.auth.models import LoginSession
    from server.db import utcnow
    from server.extensions import db

    with app.app_context():
        now = utcnow()
        row = LoginSession(id=secrets.token_urlsafe(32), user_id=user_id, created_at=now, last_seen_at=now,
                           method="benchmark")
        db.session.add(row)
        db.session.commit()
        value = app.session_interface.get_signing_serializer(app).dumps(
            {"sid": row.id, "_user_id": str(user_id), "_fresh": True})
        return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def make_clients(base: str, users: dict, app, count: int) -> dict[str, list[Client]]:
    """`count` logged-in clients per role (people are reused round-robin if there are fewer)."""
    name = app.config["SESSION_COOKIE_NAME"]
    out: dict[str, list[Client]] = {"worker": [], "supervisor": [], "citizen": []}
    for i in range(count):
        w = users["workers"][i % len(users["workers"])]
        s = login_staff(base, w["username"], users["password"], name)
        # The contact form sets the CSRF token in the session: keep the cookie that carries it.
        form = s.get(f"{base}/citizens/{w['citizen_ids'][0]}/contacts/new", timeout=30)
        if form.status_code != 200:
            raise RuntimeError(f"contact form for {w['username']}: {form.status_code}")
        out["worker"].append(Client("worker", w["id"], f"{name}={s.cookies[name]}", csrf_token(form.text),
                                    list(w["citizen_ids"])))
        sup = users["supervisors"][i % len(users["supervisors"])]
        s = login_staff(base, sup["username"], users["password"], name)
        out["supervisor"].append(Client("supervisor", sup["id"], f"{name}={s.cookies[name]}"))
        c = users["citizens"][i % len(users["citizens"])]
        out["citizen"].append(Client("citizen", c["id"], mint_citizen_cookie(app, c["id"])))
    return out


def requests_for(page: tuple, clients: list[Client]) -> list[dict]:
    """One request template per client (wrk cycles through them)."""
    _, _, method, path = page
    out = []
    for i, c in enumerate(clients):
        citizen_id = c.citizen_ids[i % len(c.citizen_ids)] if c.citizen_ids else 0
        headers = {"Cookie": c.cookie}
        if method == "POST":
            headers.update({"Accept": "application/json", "X-CSRFToken": c.csrf or "",
                            "Content-Type": "application/x-www-form-urlencoded"})
        out.append({"method": method, "path": path.format(citizen_id=citizen_id), "headers": headers})
    return out


def check(base: str, page: tuple, templates: list[dict]) -> None:
    """Every client gets a real answer (200, or 201 for the POST) before wrk runs: a redirect to
    /login would otherwise be timed as a fast page."""
    for t in templates:
        body = None
        if t["method"] == "POST":
            body = contact_body()
        r = requests.request(t["method"], base + t["path"], headers=t["headers"], data=body,
                             allow_redirects=False, timeout=60)
        expected = 201 if t["method"] == "POST" else 200
        if r.status_code != expected:
            raise RuntimeError(f"{page[0]} {t['path']}: {r.status_code} (expected {expected}): {r.text[:300]}")


def contact_body(client_id: str | None = None) -> str:
    from urllib.parse import urlencode

    return urlencode({"client_id": client_id or str(uuid.uuid4()), "recorded_at": "2026-01-01T12:00:00Z",
                      "type": "home_visit", "place": "home", "note": BENCH_NOTE})


LUA = r"""
local templates = %(templates)s
local counter = 0
local threads = {}
local bad = 0

local function uuid4()
  local t = {}
  for i = 1, 16 do t[i] = math.random(0, 255) end
  t[7] = (t[7] %% 16) + 64
  t[9] = (t[9] %% 64) + 128
  local h = string.format(string.rep("%%02x", 16), unpack(t))
  return h:sub(1, 8) .. "-" .. h:sub(9, 12) .. "-" .. h:sub(13, 16) .. "-" .. h:sub(17, 20) .. "-" .. h:sub(21, 32)
end

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  counter = id
end

function request()
  counter = counter + 1
  local t = templates[(counter %% #templates) + 1]
  local body = nil
  if t.method == "POST" then
    body = "client_id=" .. uuid4() .. "&recorded_at=" .. os.date("!%%Y-%%m-%%dT%%H:%%M:%%SZ") ..
           "&type=home_visit&place=home&note=%(note)s"
  end
  return wrk.format(t.method, t.path, t.headers, body)
end

function response(status, headers, body)
  if status ~= %(expected)d then bad = bad + 1 end
end

function done(summary, latency, requests)
  local unexpected = 0
  for _, thread in ipairs(threads) do unexpected = unexpected + (thread:get("bad") or 0) end
  io.write("WRKJSON " .. string.format(
    '{"requests": %%d, "duration_us": %%d, "errors_connect": %%d, "errors_read": %%d, "errors_write": %%d, ' ..
    '"errors_status": %%d, "errors_timeout": %%d, "unexpected_status": %%d, "p50_ms": %%.3f, "p95_ms": %%.3f, ' ..
    '"p99_ms": %%.3f, "mean_ms": %%.3f, "max_ms": %%.3f}',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, unexpected, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.mean / 1000, latency.max / 1000) .. "\n")
end
"""


def lua_table(templates: list[dict]) -> str:
    def s(v: str) -> str:
        return json.dumps(v)  # a JSON string is a valid Lua string literal for these ASCII values

    rows = []
    for t in templates:
        headers = ", ".join(f"[{s(k)}] = {s(v)}" for k, v in t["headers"].items())
        rows.append(f'{{method = {s(t["method"])}, path = {s(t["path"])}, headers = {{{headers}}}}}')
    return "{" + ",\n".join(rows) + "}"


def wrk_binary() -> str:
    path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk is not installed (Debian: apt-get install -y wrk)")
    return path


SPLIT_RETRIES = 4
MAX_SHARE_ONE_WORKER = 0.75


def connections_per_process(base: str) -> list[int]:
    """How many established connections to the server's port each process holds (from `ss`);
    [] when `ss` is not there."""
    port = base.rsplit(":", 1)[-1]
    try:
        out = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    counts: dict[str, int] = {}
    for pid in re.findall(r"pid=(\d+)", out):
        counts[pid] = counts.get(pid, 0) + 1
    return sorted(counts.values())


def run_wrk(base: str, templates: list[dict], connections: int, seconds: float, expected: int) -> dict:
    script = LUA % {"templates": lua_table(templates), "expected": expected, "note": BENCH_NOTE}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
        path = f.name
    try:
        cmd = [wrk_binary(), "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s", "-s", path, base]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        split = []
        if connections > 1 and seconds >= 2:
            try:
                proc.wait(timeout=1)  # wrk has opened its connections by then
            except subprocess.TimeoutExpired:
                split = connections_per_process(base)
        stdout, stderr = proc.communicate(timeout=seconds + 120)
        for line in stdout.splitlines():
            if line.startswith("WRKJSON "):
                result = json.loads(line[len("WRKJSON "):])
                result["rps"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
                result["connections_per_worker"] = split
                return result
        raise RuntimeError(f"wrk gave no result: {stdout[-500:]} {stderr[-500:]}")
    finally:
        os.unlink(path)


def lopsided(result: dict, connections: int) -> bool:
    split = result.get("connections_per_worker") or []
    return connections > 1 and bool(split) and max(split) > MAX_SHARE_ONE_WORKER * connections


def run_balanced(base: str, templates: list[dict], connections: int, seconds: float, expected: int,
                 log=print) -> dict:
    """`run_wrk`, repeated while one worker holds most of the connections (see the module's notes)."""
    set_aside = []
    while True:
        result = run_wrk(base, templates, connections, seconds, expected)
        if not lopsided(result, connections) or len(set_aside) >= SPLIT_RETRIES:
            result["set_aside"] = set_aside
            return result
        log(f"    (connections per worker {result['connections_per_worker']}: run set aside, "
            f"p95 {result['p95_ms']:.1f} ms, {result['rps']:.1f} req/s)")
        set_aside.append({k: result[k] for k in ("p50_ms", "p95_ms", "rps", "connections_per_worker")})


def measure(base: str, clients: dict[str, list[Client]], concurrencies=(1, 16), seconds: float = 8,
            warmup: float = 2, log=print) -> dict:
    """{concurrency: {page: wrk result + ratio_to_floor}}"""
    results: dict = {}
    for conc in concurrencies:
        per_page: dict = {}
        floors = []
        for page in [FLOOR] + PAGES + [FLOOR]:
            name, role, method, _ = page
            templates = requests_for(page, clients[role][:conc])
            check(base, page, templates)
            expected = 201 if method == "POST" else 200
            if warmup:
                run_wrk(base, templates, conc, warmup, expected)
            r = run_balanced(base, templates, conc, seconds, expected, log=log)
            log(f"  c={conc:<2} {name:<12} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
                f"{r['rps']:6.1f} req/s  non-{expected}: {r['unexpected_status']}"
                + (f"  connections per worker {r['connections_per_worker']}" if r["connections_per_worker"] else ""))
            if name == "floor":
                floors.append(r)
            else:
                per_page[name] = r
        floor_p95 = sum(f["p95_ms"] for f in floors) / len(floors)
        floor_p50 = sum(f["p50_ms"] for f in floors) / len(floors)
        per_page["floor"] = {"p50_ms": round(floor_p50, 3), "p95_ms": round(floor_p95, 3), "runs": floors}
        for name, r in per_page.items():
            if name != "floor":
                r["ratio_p95_to_floor"] = round(r["p95_ms"] / floor_p95, 2) if floor_p95 else None
        results[str(conc)] = per_page
    return results
