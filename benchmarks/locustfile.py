"""Load test (SECURITY.md #26): workers, supervisors and citizens on the main pages, and the
log-contact POST with a CSRF token fetched from the form page.

The figure: 100 users for 10 minutes on loopback against gunicorn + PostgreSQL, 0 5xx, error
rate < 0.1 %, p95/p99 recorded (benchmarks/results/load_stats.csv) against PERFORMANCE.md.

    # 1. data (log-ins go to benchmarks/data/municipality-users.json)
    export DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/ledsager_load
    export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')
    python -m benchmarks.generate --size municipality --database-url "$DATABASE_URL"
    # 2. the app as in production, on loopback over plain http (hence the insecure cookie),
    #    every virtual user logs in from 127.0.0.1 (hence the raised log-in limit)
    SESSION_COOKIE_SECURE=0 LOGIN_RATE_LIMIT="100000 per minute" \\
        gunicorn -w 4 -b 127.0.0.1:8000 'server:create_app()'
    # 3. the load (same shell: the citizens' sessions are minted with DATABASE_URL and SECRET_KEY)
    locust -f benchmarks/locustfile.py --headless -u 100 -r 10 -t 10m \\
        --host http://localhost:8000 --csv benchmarks/results/load

LEDSAGER_LOAD_USERS names the log-ins file (default: benchmarks/data/municipality-users.json).
Citizens log in with passkeys only; their sessions are minted directly in the database (a real
server-side session row and a signed cookie, as tests/conftest.py does), since passkey log-in is
measured by the passkey tests, not here.
"""
import json
import os
import random
import re
import uuid
from datetime import datetime

from locust import HttpUser, between, task

USERS_FILE = os.environ.get("LEDSAGER_LOAD_USERS") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "data", "municipality-users.json")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def load_users() -> dict:
    with open(USERS_FILE, encoding="utf-8") as f:
        return json.load(f)


USERS = load_users()


def csrf_token(html: str) -> str | None:
    match = CSRF.search(html)
    return (match.group(1) or match.group(2)) if match else None


class StaffUser(HttpUser):
    abstract = True
    pool_name = "workers"

    def on_start(self):
        self.account = random.choice(USERS[self.pool_name])
        page = self.client.get("/login", name="/login")
        token = csrf_token(page.text)
        response = self.client.post("/login/password", name="/login/password", allow_redirects=False,
                                    data={"username": self.account["username"], "password": USERS["password"],
                                          "csrf_token": token or ""})
        if response.status_code not in (302, 303):
            response.failure(f"log-in failed: {response.status_code}")


class Worker(StaffUser):
    """A worker's day: Today, the caseload, a citizen, reminders, and logging contacts."""

    weight = 6
    wait_time = between(1, 5)
    pool_name = "workers"

    def citizen_id(self) -> int:
        return random.choice(self.account["citizen_ids"])

    @task(4)
    def today(self):
        self.client.get("/today")

    @task(2)
    def caseload(self):
        self.client.get("/citizens")

    @task(4)
    def citizen_page(self):
        self.client.get(f"/citizens/{self.citizen_id()}", name="/citizens/[id]")

    @task(1)
    def reminders(self):
        self.client.get("/reminders")

    @task(2)
    def log_contact(self):
        citizen_id = self.citizen_id()
        form = self.client.get(f"/citizens/{citizen_id}/contacts/new", name="/citizens/[id]/contacts/new")
        token = csrf_token(form.text)
        with self.client.post(
                f"/citizens/{citizen_id}/contacts", name="/citizens/[id]/contacts [POST]", catch_response=True,
                allow_redirects=False, headers={"Accept": "application/json"},
                data={"csrf_token": token or "", "client_id": str(uuid.uuid4()),
                      "recorded_at": datetime.now().astimezone().isoformat(), "type": "home_visit",
                      "place": "home", "note": "Belastningstest: besøg, drøftede boligsituationen."}) as response:
            if response.status_code in (200, 201):
                response.success()
            else:
                response.failure(f"{response.status_code}")


class Supervisor(StaffUser):
    weight = 1
    wait_time = between(2, 8)
    pool_name = "supervisors"

    @task(3)
    def board(self):
        self.client.get("/team")

    @task(2)
    def caseloads(self):
        self.client.get("/citizens")

    @task(1)
    def meetings(self):
        self.client.get("/team/meetings")


def mint_citizen_session(user_id: int) -> tuple[str, str]:
    """(cookie name, value) for a citizen, made in the database the server uses."""
    import secrets

    from server.auth.models import LoginSession
    from server.db import utcnow
    from server.extensions import db

    app = _minting_app()
    with app.app_context():
        now = utcnow()
        row = LoginSession(id=secrets.token_urlsafe(32), user_id=user_id, created_at=now, last_seen_at=now,
                           method="load-test")
        db.session.add(row)
        db.session.commit()
        serializer = app.session_interface.get_signing_serializer(app)
        value = serializer.dumps({"sid": row.id, "_user_id": str(user_id), "_fresh": True})
        return app.config["SESSION_COOKIE_NAME"], value


_APP = []


def _minting_app():
    if not _APP:
        from server import create_app

        _APP.append(create_app())
    return _APP[0]


class Citizen(HttpUser):
    """A citizen opens the app a few times: my plan, my appointments, my worker."""

    weight = 3
    wait_time = between(3, 10)

    def on_start(self):
        account = random.choice(USERS["citizens"])
        name, value = mint_citizen_session(account["id"])
        self.client.cookies.set(name, value, domain="localhost", path="/")

    @task(3)
    def plan(self):
        self.client.get("/me/plan")

    @task(2)
    def appointments(self):
        self.client.get("/me/appointments")

    @task(1)
    def worker(self):
        self.client.get("/me/worker")
