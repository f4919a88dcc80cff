"""Offline replay benchmark: N entries queued offline in a real browser, then the network returns.

Measures the time until every entry is stored, how many were stored, and duplicates (rows and
posts beyond one per entry). Target (PERFORMANCE.md): 1,000 entries, all stored, 0 duplicates,
<= 20 s. Prints JSON and writes benchmarks/results/offline_replay.json.

The app is served by gunicorn as in production, with the same command, workers, threads and
environment as the latency benchmark (benchmarks/run.py `Server`), on a database of its own
(emptied first: never a data set). Besides the wall time it reports the CPU seconds the browser,
the server and PostgreSQL spent (Linux /proc), which do not depend on what else the shared
machine is running.

    .venv/bin/python benchmarks/offline_replay.py [--entries 1000] [--database URL]
"""
import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import func, select  # noqa: E402

from benchmarks.run import THREADS, WORKERS, Server  # noqa: E402
from server import create_app  # noqa: E402
from server.config import Config  # noqa: E402
from server.extensions import db  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
TARGET_SECONDS = 20

QUEUE_SCRIPT = """async (n) => {
    // The same write-ahead path as a submit: the real form's fields, a new UUID and time each.
    const form = document.querySelector('form[data-outbox="contact"]');
    const note = form.querySelector('textarea[name=note]');
    const started = performance.now();
    for (let i = 0; i < n; i++) {
        note.value = 'Benchmark-besøg ' + i;
        const fields = new URLSearchParams();
        new FormData(form).forEach((value, name) => { if (name !== 'csrf_token') fields.append(name, value); });
        const clientId = crypto.randomUUID();
        const recordedAt = new Date().toISOString();
        fields.set('client_id', clientId);
        fields.set('recorded_at', recordedAt);
        await LedsagerOutbox.add({clientId, userId: document.body.dataset.userId, kind: 'contact',
            url: new URL(form.action).pathname, body: fields.toString(), recordedAt,
            label: 'Benchmark', summary: note.value, pageUrl: location.pathname});
    }
    return (performance.now() - started) / 1000;
}"""


def build_app(database_url: str):
    app = create_app(type("BenchConfig", (Config,), {
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "benchmark-only-secret-key-0123456789",
        "SESSION_COOKIE_SECURE": False, "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
    }))
    with app.app_context():
        db.drop_all()
        db.create_all()
        from server.citizens.labels import seed_dimensions

        seed_dimensions(db.session)
        db.session.commit()
    return app


def make_people(app):
    from tests import factories

    with app.test_request_context():
        team = factories.team()
        worker = factories.worker(team=team)
        citizen = factories.citizen(worker=worker)
        return worker.username, citizen.id


def counts(app, citizen_id: int) -> dict:
    from server.audit.models import AuditEvent
    from server.contacts.models import Contact

    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(Contact).where(Contact.citizen_id == citizen_id))
        distinct = db.session.scalar(select(func.count(func.distinct(Contact.note))).where(Contact.citizen_id == citizen_id))
        posts = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.citizen_id == citizen_id, AuditEvent.action == "write",
            AuditEvent.subject == "contacts.create"))
        db.session.remove()
    return {"rows": rows, "distinct": distinct, "posts": posts}


def _process_table() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, name, CPU seconds so far) for every process (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(name)] = (int(fields[1]), stat[stat.index("(") + 1:stat.rindex(")")],
                            (int(fields[11]) + int(fields[12])) / tick)
    return table


def _tree(table: dict, root: int) -> set[int]:
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, (parent, _, _) in table.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def cpu_snapshot(server_pid: int) -> dict[str, dict[int, float]] | None:
    """CPU seconds so far, per process, of the browser (the Chromium processes this benchmark
    started), the server (gunicorn master and workers) and every PostgreSQL process on the machine."""
    if not os.path.isdir("/proc/self"):
        return None
    table = _process_table()
    mine = _tree(table, os.getpid())
    return {
        "browser": {p: table[p][2] for p in mine if table[p][1].startswith("chrom")},
        "server": {p: table[p][2] for p in _tree(table, server_pid)},
        "postgresql": {p: cpu for p, (_, name, cpu) in table.items() if name == "postgres"},
    }


def cpu_used(before: dict | None, after: dict | None) -> dict[str, float]:
    """CPU seconds per group between two snapshots, over the processes alive at the second one
    (one that started in between counts from zero; one that ended in between is not counted)."""
    if not before or not after:
        return {}
    return {group: round(sum(max(0.0, cpu - before[group].get(pid, 0.0)) for pid, cpu in after[group].items()), 1)
            for group in after}


def run(entries: int, database_url: str) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.factories import PASSWORD

    app = build_app(database_url)
    username, citizen_id = make_people(app)
    with Server(database_url) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        # 127.0.0.1 is a secure context for Chromium, as localhost is (service worker, WebCrypto).
        context = browser.new_context(base_url=server.base, viewport={"width": 390, "height": 844})
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Brugernavn").fill(username)
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind", exact=True).click()
        page.wait_for_url("**/today")
        page.goto(f"/citizens/{citizen_id}/contacts/new")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null && Boolean(window.LedsagerOutbox)")

        context.set_offline(True)
        queued_seconds = page.evaluate(QUEUE_SCRIPT, entries)
        waiting = page.evaluate("async () => (await LedsagerOutbox.counts(document.body.dataset.userId)).waiting")

        before = cpu_snapshot(server.proc.pid)
        started = time.monotonic()
        context.set_offline(False)  # the page hears "online" and replays
        page.evaluate("() => { Ledsager.outbox.replay(true); }")
        deadline = started + 600
        while time.monotonic() < deadline:
            if counts(app, citizen_id)["rows"] >= entries:
                break
            page.wait_for_timeout(100)
        page.wait_for_function("async () => (await LedsagerOutbox.counts(document.body.dataset.userId)).total === 0",
                               timeout=60_000)
        replay_seconds = time.monotonic() - started
        cpu = cpu_used(before, cpu_snapshot(server.proc.pid))
        browser.close()
    final = counts(app, citizen_id)
    return {
        "benchmark": "offline_replay",
        "entries": entries,
        "queued_on_phone": waiting,
        "queue_seconds": round(queued_seconds, 2),
        "replay_seconds": round(replay_seconds, 2),
        "entries_per_second": round(entries / replay_seconds, 1),
        "stored": final["rows"],
        "lost": entries - final["distinct"],
        "duplicate_rows": final["rows"] - final["distinct"],
        "posts": final["posts"],
        "extra_posts": final["posts"] - entries,
        "target_seconds": TARGET_SECONDS,
        "passed": final["rows"] == entries and final["distinct"] == entries and replay_seconds <= TARGET_SECONDS,
        "server": f"gunicorn -w {WORKERS} --threads {THREADS} on 127.0.0.1 (as in production), "
                  + database_url.split(":", 1)[0],
        "browser": "headless Chromium " + CHROMIUM,
        # During the replay; postgresql counts every PostgreSQL process on the machine.
        "cpu_seconds": cpu,
        "parallel_sends": 4,
        "batch_size": 16,
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    database = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='ledsager-bench-')}/bench.sqlite"
    result = run(args.entries, database)
    print(json.dumps(result, indent=2))
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "offline_replay.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as handle:
        json.dump(result, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
