"""Offline sync under faults (SECURITY.md #14): N entries, each sent 1-5 times, through a proxy
that loses requests and answers, while gunicorn workers are killed and the database goes away.

Every phone (a logged-in worker) keeps an outbox the way the app's outbox does: an entry stays
until the server acknowledges it (201 stored, 200 already stored); a 409 (same UUID, other
content) is kept for the worker; anything else (a lost answer, a reset connection, a 503 during
the outage) is sent again later. Each entry is first sent 1-5 times at once, in a shuffled
order over 4 parallel connections per phone (two tabs and the service worker racing), then
resent until acknowledged. For 1 % of the entries the phone later sends the same UUID with an
edited note: the answer must be 409 and the stored row must keep the first content.

Faults, all at once:
- a fault proxy between the phones and gunicorn drops a share of the requests before they reach
  the server and a share of the answers after the server has acted (the worst case for
  duplicates);
- a gunicorn worker is killed with SIGKILL every few seconds (the master starts a new one);
- the database goes away for a while: PostgreSQL refuses connections to the database and its
  open connections are terminated; SQLite is held under an exclusive lock for longer than the
  app's busy timeout.

At the end every entry must be stored exactly once with its first content: 0 lost,
0 duplicates, every edited twin answered 409 and kept, and no answer a 500.

    .venv/bin/python -m benchmarks.sync_faults --entries 10000 [--database URL]

The CI size (1,000 entries) runs in tests/sync/test_fault_proxy.py on the suite's database.
Writes benchmarks/results/sync_faults.json.
"""
import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import requests  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.latency import csrf_token, login_staff  # noqa: E402
from benchmarks.run import SECRET_KEY, Server, free_port  # noqa: E402
from server.config import Config  # noqa: E402

PHONES = 4
PARALLEL = 4           # the outbox's parallel sends per phone
EDITED_SHARE = 0.01    # entries later sent again with the same UUID and other content
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "sync_faults.json")


# --------------------------------------------------------------------------- fault proxy

class FaultProxy:
    """Forwards one HTTP request per connection to gunicorn, losing some on purpose.

    Hand-written because the fault we need is specific: drop the *answer* after the server has
    acted on the request. Toxiproxy (the usual tool) is a Go service that is neither on PyPI nor
    in Debian here, and its toxics cut bytes, not whole HTTP answers. Clients send
    `Connection: close`, so a request is everything up to the end of its body and an answer is
    everything gunicorn sends until it closes.
    """

    def __init__(self, upstream_port: int, drop_request: float, drop_answer: float, seed: int):
        self.upstream_port = upstream_port
        self.drop_request, self.drop_answer = drop_request, drop_answer
        self.random, self.lock = random.Random(seed), threading.Lock()
        self.stats = Counter()
        self.port = free_port()
        self.listener = socket.create_server(("127.0.0.1", self.port), backlog=256)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.closed = False

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.closed = True
        self.listener.close()

    def _roll(self) -> float:
        with self.lock:
            return self.random.random()

    def _accept(self):
        while not self.closed:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    @staticmethod
    def _read_request(connection) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = connection.recv(65536)
            if not chunk:
                return None
            body += chunk
        return head + b"\r\n\r\n" + body

    def _serve(self, connection):
        with connection:
            connection.settimeout(120)
            try:
                request = self._read_request(connection)
                if request is None:
                    return
                if self._roll() < self.drop_request:
                    self.stats["requests_dropped"] += 1
                    return  # the request never reaches the server
                with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=120) as upstream:
                    upstream.sendall(request)
                    answer = b""
                    while chunk := upstream.recv(65536):
                        answer += chunk
                if self._roll() < self.drop_answer:
                    self.stats["answers_dropped"] += 1
                    return  # the server acted; the phone never hears of it
                connection.sendall(answer)
                self.stats["forwarded"] += 1
            except OSError:
                self.stats["proxy_errors"] += 1


# --------------------------------------------------------------------------- faults on the server

def worker_pids(master_pid: int) -> list[int]:
    try:
        with open(f"/proc/{master_pid}/task/{master_pid}/children") as f:
            return [int(pid) for pid in f.read().split()]
    except OSError:
        return []


class WorkerKiller(threading.Thread):
    """SIGKILL one gunicorn worker every `every` seconds; the master starts a new one."""

    def __init__(self, master_pid: int, every: float, seed: int):
        super().__init__(daemon=True)
        self.master_pid, self.every, self.random = master_pid, every, random.Random(seed)
        self.stop, self.killed = threading.Event(), 0

    def run(self):
        while not self.stop.wait(self.every):
            pids = worker_pids(self.master_pid)
            if pids:
                try:
                    os.kill(self.random.choice(pids), signal.SIGKILL)
                    self.killed += 1
                except ProcessLookupError:
                    pass


class Outage(threading.Thread):
    """The database goes away `after` seconds into the run, for `seconds`, and again every
    `every` seconds while the run lasts."""

    def __init__(self, url: str, after: float, seconds: float, every: float = 60.0):
        super().__init__(daemon=True)
        self.url, self.after, self.seconds, self.every = url, after, seconds, every
        self.stop, self.happened = threading.Event(), []

    def run(self):
        begun = time.monotonic()
        if self.stop.wait(self.after):
            return
        while True:
            started = time.monotonic()
            if self.url.startswith("postgresql"):
                self._postgresql()
            else:
                self._sqlite()
            self.happened.append({"started_after_s": round(started - begun, 1),
                                  "lasted_s": round(time.monotonic() - started, 1)})
            if self.stop.wait(self.every):
                return

    def _postgresql(self):
        url = make_url(self.url)
        name = url.database
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            try:
                self.stop.wait(self.seconds)
            finally:
                connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()

    def _sqlite(self):
        # Longer than the app's busy timeout (5 s, server/db.py): writers give up with "locked".
        connection = sqlite3.connect(make_url(self.url).database, timeout=30, isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        try:
            self.stop.wait(self.seconds)
        finally:
            connection.execute("ROLLBACK")
            connection.close()


# --------------------------------------------------------------------------- phones

class Phone:
    """One worker's outbox: entries stay until the server acknowledges them."""

    def __init__(self, base: str, cookie: str, csrf: str, citizen_ids: list[int], count: int, seed: int, tag: str):
        self.base, self.cookie, self.csrf, self.random = base, cookie, csrf, random.Random(seed)
        self.entries = {}
        for i in range(count):
            client_id = str(uuid.UUID(int=self.random.getrandbits(128), version=4))
            self.entries[client_id] = {
                "citizen_id": self.random.choice(citizen_ids),
                # Everything the outbox stores at queue time, so a resend is the same content.
                "fields": {"client_id": client_id, "recorded_at": "2026-11-20T10:%02d:%02dZ" % (i // 60 % 60, i % 60),
                           "occurred_at": "2026-11-20T11:%02d" % (i % 60), "type": "home_visit",
                           "place": "home", "note": f"Fejlprøve {tag}-{i}"},
            }
        self.outbox = set(self.entries)
        self.edited = set(self.random.sample(sorted(self.entries), max(1, int(count * EDITED_SHARE))))
        self.conflicts_open = set(self.edited)  # edited twins still waiting for their 409
        self.kept_conflicts = set()
        self.original_conflicts = set()
        self.statuses = Counter()
        self.sends = 0
        self.lock = threading.Lock()

    def send(self, client_id: str, edited: bool = False) -> int | None:
        entry = self.entries[client_id]
        fields = dict(entry["fields"])
        if edited:
            fields["note"] += " (rettet)"
        try:
            response = requests.post(
                f"{self.base}/citizens/{entry['citizen_id']}/contacts", data=urlencode(fields), timeout=60,
                allow_redirects=False,
                headers={"Cookie": self.cookie, "X-CSRFToken": self.csrf, "Accept": "application/json",
                         "Content-Type": "application/x-www-form-urlencoded", "Connection": "close"})
            status = response.status_code
        except requests.RequestException:
            status = None
        with self.lock:
            self.sends += 1
            self.statuses[status or "no answer"] += 1
            if edited:
                if status == 409:
                    self.conflicts_open.discard(client_id)
                    self.kept_conflicts.add(client_id)  # shown to the worker, never overwritten
            elif status in (200, 201):
                self.outbox.discard(client_id)
            elif status == 409:
                # The first content called a conflict: kept for the worker, as the app does, and
                # counted as a failure (an unchanged resend must be recognised as the same).
                self.outbox.discard(client_id)
                self.original_conflicts.add(client_id)
        return status

    def first_burst(self, pool: ThreadPoolExecutor) -> list:
        """Each entry 1-5 times at once, shuffled, as racing tabs and the service worker would."""
        sends = [cid for cid in self.entries for _ in range(self.random.randint(1, 5))]
        self.random.shuffle(sends)
        return [pool.submit(self.send, cid) for cid in sends]

    def retry(self, pool: ThreadPoolExecutor) -> list:
        with self.lock:
            waiting, twins = sorted(self.outbox), sorted(self.conflicts_open - self.outbox)
        return [pool.submit(self.send, cid) for cid in waiting] + \
               [pool.submit(self.send, cid, True) for cid in twins]

    @property
    def done(self) -> bool:
        with self.lock:
            return not self.outbox and not self.conflicts_open


# --------------------------------------------------------------------------- set-up and check

def prepare(url: str, phones: int) -> list[dict]:
    """An empty schema with one team: `phones` workers, each with two citizens."""
    from server import create_app
    from server.extensions import db

    app = create_app(type("FaultConfig", (Config,), {
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "SESSION_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://"}))
    with app.test_request_context():
        db.drop_all()
        db.create_all()
        from server.citizens.labels import seed_dimensions
        from tests import factories
        from tests.factories import PASSWORD

        seed_dimensions(db.session)
        team = factories.team()
        people = []
        for _ in range(phones):
            worker = factories.worker(team=team)
            citizens = [factories.citizen(worker=worker) for _ in range(2)]
            people.append({"username": worker.username, "password": PASSWORD,
                           "citizen_ids": [c.id for c in citizens]})
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return people


def stored(url: str, phones: list[Phone]) -> dict:
    from server.contacts.models import Contact

    engine = create_engine(url)
    expected = {cid: p.entries[cid]["fields"]["note"] for p in phones for cid in p.entries}
    with engine.connect() as connection:
        rows = connection.execute(select(Contact.client_id, Contact.note, func.count())
                                  .group_by(Contact.client_id, Contact.note)).all()
    engine.dispose()
    copies = Counter()
    wrong = 0
    for client_id, note, count in rows:
        copies[str(client_id)] += count
        if expected.get(str(client_id)) != note:
            wrong += count
    return {
        "rows": sum(copies.values()),
        "lost": sum(1 for cid in expected if copies[cid] == 0),
        "duplicates": sum(n - 1 for n in copies.values() if n > 1),
        "wrong_content": wrong,
        "unknown": sum(1 for cid in copies if cid not in expected),
    }


def scratch_database(database: str | None) -> str:
    if database and database.startswith("postgresql"):
        url = make_url(database)
        name = "ledsager_sync_faults"
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return url.set(database=name).render_as_string(hide_password=False)
    folder = tempfile.mkdtemp(prefix="ledsager-sync-faults-")
    return f"sqlite:///{folder}/faults.sqlite"


def run(entries: int, database: str | None = None, seed: int = 14, drop_request: float = 0.1,
        drop_answer: float = 0.2, kill_every: float = 10.0, outage_after: float = 3.0,
        outage_seconds: float = 8.0, deadline_seconds: float = 3600, progress: bool = False) -> dict:
    url = scratch_database(database)
    people = prepare(url, PHONES)
    result = {"benchmark": "sync_faults", "entries": entries, "database": url.split(":", 1)[0],
              "seed": seed, "drop_request": drop_request, "drop_answer": drop_answer}
    with Server(url) as server, FaultProxy(server.port, drop_request, drop_answer, seed) as proxy:
        phones = []
        for i, person in enumerate(people):
            session = login_staff(server.base, person["username"], person["password"], Config.SESSION_COOKIE_NAME)
            form = session.get(f"{server.base}/citizens/{person['citizen_ids'][0]}/contacts/new", timeout=30)
            cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
            share = entries // PHONES + (1 if i < entries % PHONES else 0)
            phones.append(Phone(f"http://127.0.0.1:{proxy.port}", cookie, csrf_token(form.text),
                                person["citizen_ids"], share, seed * 100 + i, f"{i}"))
        killer = WorkerKiller(server.proc.pid, kill_every, seed)
        outage = Outage(url, outage_after, outage_seconds)
        started = time.monotonic()
        killer.start()
        outage.start()
        rounds = 0
        with ThreadPoolExecutor(PARALLEL * PHONES) as pool:
            futures = [f for phone in phones for f in phone.first_burst(pool)]
            for future in futures:
                future.result()
            while not all(p.done for p in phones) and time.monotonic() - started < deadline_seconds:
                rounds += 1
                time.sleep(0.5)  # the outbox backs off before it tries again
                for future in [f for phone in phones for f in phone.retry(pool)]:
                    future.result()
                if progress:
                    waiting = sum(len(p.outbox) + len(p.conflicts_open) for p in phones)
                    answers = sum((p.statuses for p in phones), Counter())
                    print(f"  round {rounds}: {waiting} waiting, answers so far {dict(answers)}, "
                          f"{killer.killed} workers killed", file=sys.stderr, flush=True)
        seconds = time.monotonic() - started
        killer.stop.set()
        outage.stop.set()
        outage.join()
        proxy_stats = dict(proxy.stats)
    statuses = Counter()
    for phone in phones:
        statuses.update(phone.statuses)
    check = stored(url, phones)
    edited = sum(len(p.edited) for p in phones)
    kept = sum(len(p.kept_conflicts) for p in phones)
    unexpected = {str(k): v for k, v in statuses.items() if k not in (200, 201, 409, 503, "no answer")}
    result.update({
        "seconds": round(seconds, 1),
        "sends": sum(p.sends for p in phones),
        "retry_rounds": rounds,
        "answers": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))},
        "proxy": proxy_stats,
        "workers_killed": killer.killed,
        "database_outages": outage.happened,
        "stored": check,
        "edited_twins": edited,
        "edited_twins_answered_409_and_kept": kept,
        "unchanged_resends_answered_409": sum(len(p.original_conflicts) for p in phones),
        "unexpected_answers": unexpected,
        "left_in_outboxes": sum(len(p.outbox) for p in phones),
    })
    result["passed"] = (check["lost"] == 0 and check["duplicates"] == 0 and check["wrong_content"] == 0
                        and check["unknown"] == 0 and check["rows"] == entries and kept == edited
                        and not unexpected and result["left_in_outboxes"] == 0
                        and result["unchanged_resends_answered_409"] == 0
                        and bool(outage.happened) and killer.killed > 0)
    if url.startswith("postgresql"):
        admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE IF EXISTS "ledsager_sync_faults" WITH (FORCE)'))
        admin.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--database", help="a PostgreSQL URL (a scratch database is made beside it); "
                                           "SQLite in a temporary folder if left out")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    result = run(args.entries, args.database, seed=args.seed, progress=True)
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result, indent=2))
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
