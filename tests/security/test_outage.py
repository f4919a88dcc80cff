"""Database outage (SECURITY.md #25): while the database is away every request gets a plain
503 page (JSON 503 for fetch) within 2 s, with no stack trace or SQL; nothing is half-written;
when the database returns the same running app serves again, without a restart.

SQLite: the engine's connect is made to fail (and the pool emptied), as when the file's disk
goes away. PostgreSQL (when TEST_DATABASE_URL is postgresql): a database of its own is closed
to connections (`ALTER DATABASE ... ALLOW_CONNECTIONS false` + `pg_terminate_backend`).
"""
import os
import tempfile
import time
import uuid

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from server import create_app
from server.config import TestConfig
from server.extensions import db
from tests import factories
from tests.conftest import login

FORBIDDEN_IN_BODY = ["Traceback", "SELECT", "INSERT", "sqlalchemy", "psycopg", "sqlite3", "OperationalError",
                     'File "']


class SQLiteOutage:
    def __init__(self):
        self.path = os.path.join(tempfile.mkdtemp(prefix="ledsager-outage-"), "outage.sqlite")
        self.url = f"sqlite:///{self.path}"
        self.down = False

    def attach(self, engine):
        import sqlite3

        @event.listens_for(engine, "do_connect")
        def refuse(dialect, conn_rec, cargs, cparams):
            if self.down:
                raise sqlite3.OperationalError("unable to open database file")
            return None

        self.engine = engine

    def stop(self):
        self.down = True
        self.engine.dispose()

    def start(self):
        self.down = False

    def drop(self):
        pass


class PostgresOutage:
    def __init__(self, base_url):
        self.admin_url = make_url(base_url)
        self.name = f"ledsager_outage_{uuid.uuid4().hex[:8]}"
        self.url = self.admin_url.set(database=self.name).render_as_string(hide_password=False)
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{self.name}"'))

    def attach(self, engine):
        self.engine = engine

    def stop(self):
        with self.admin.connect() as c:
            c.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false'))
            c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                      {"n": self.name})

    def start(self):
        with self.admin.connect() as c:
            c.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true'))

    def drop(self):
        self.engine.dispose()
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def backends():
    yield "sqlite"
    if (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"):
        yield "postgresql"


@pytest.fixture(params=list(backends()))
def outage(request, app):
    if request.param == "sqlite":
        outage = SQLiteOutage()
    else:
        outage = PostgresOutage(os.environ["TEST_DATABASE_URL"])
    own_app = create_app(type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": outage.url}))
    with own_app.app_context():
        outage.attach(db.engine)
        db.create_all()
        from server.citizens.labels import seed_dimensions

        seed_dimensions(db.session)
        db.session.commit()
    yield own_app, outage
    with own_app.app_context():
        outage.start()
        db.session.remove()
        db.engine.dispose()
    outage.drop()


def contacts_count():
    from server.contacts.models import Contact

    return db.session.scalar(select(func.count()).select_from(Contact))


def timed(fn):
    started = time.monotonic()
    response = fn()
    return response, time.monotonic() - started


def test_a_database_outage_gives_a_plain_503_quickly_and_the_app_recovers_by_itself(outage):
    app, db_outage = outage
    with app.test_request_context():
        worker = factories.worker(team=factories.team())
        citizen = factories.citizen(worker=worker)
        citizen_id = citizen.id
        client = login(app.test_client(), worker)
        before = contacts_count()
        db.session.remove()

    assert client.get(f"/citizens/{citizen_id}").status_code == 200
    db_outage.stop()
    slowest, problems = 0.0, []
    requests = [
        ("page", lambda: client.get(f"/citizens/{citizen_id}")),
        ("today", lambda: client.get("/today")),
        ("fetch", lambda: client.get(f"/citizens/{citizen_id}", headers={"Accept": "application/json"})),
        ("htmx", lambda: client.get(f"/citizens/{citizen_id}", headers={"HX-Request": "true"})),
        ("outbox replay", lambda: client.post(
            f"/citizens/{citizen_id}/contacts", headers={"Accept": "application/json"},
            data={"type": "home_visit", "place": "home", "note": "Under nedbruddet",
                  "client_id": str(uuid.uuid4())})),
        ("form post", lambda: client.post(f"/citizens/{citizen_id}/contacts",
                                          data={"type": "home_visit", "place": "home", "note": "Under nedbruddet"})),
        ("login page", lambda: app.test_client().get("/login")),
    ]
    for name, call in requests:
        response, seconds = timed(call)
        slowest = max(slowest, seconds)
        body = response.get_data(as_text=True)
        if response.status_code != 503 and name != "login page":
            problems.append(f"{name}: {response.status_code}")
        if response.status_code >= 500 and response.status_code != 503:
            problems.append(f"{name}: {response.status_code}")
        if seconds > 2:
            problems.append(f"{name}: {seconds:.1f} s")
        leaks = [word for word in FORBIDDEN_IN_BODY if word in body]
        if leaks:
            problems.append(f"{name}: body shows {leaks}")
        if name == "fetch" and not response.is_json:
            problems.append("fetch: 503 is not JSON")

    db_outage.start()
    recovered, seconds = timed(lambda: client.get(f"/citizens/{citizen_id}"))
    saved = client.post(f"/citizens/{citizen_id}/contacts", headers={"Accept": "application/json"},
                        data={"type": "home_visit", "place": "home", "note": "Efter nedbruddet",
                              "client_id": str(uuid.uuid4())})
    with app.app_context():
        half_written = contacts_count() - before - (1 if saved.status_code == 201 else 0)
    print(f"outage ({make_url(db_outage.url).get_backend_name()}): {len(requests)} requests during the outage, "
          f"slowest {slowest:.2f} s, {len(problems)} problems; recovery without restart: "
          f"{recovered.status_code}; {half_written} half-written entries")
    for line in problems:
        print("  " + line)
    assert problems == []
    assert recovered.status_code == 200 and saved.status_code == 201
    assert half_written == 0
