"""CPU per request of one page, in process: the app's own CPU and the PostgreSQL backend's.

Latency under wrk swings by ±40 % when the machine is shared; CPU time spent per request moves
much less, so this compares two versions of a page more reliably (not a PERFORMANCE.md figure).
The app runs in this process (Flask test client, no gunicorn); the database is a generated
benchmark set. App CPU is `time.process_time`; PostgreSQL CPU is the run time of this process's
backend(s) from `/proc/<pid>/schedstat`, so only with a PostgreSQL server on this machine.

    .venv/bin/python -m benchmarks.cpu_per_request --size national --path /team --requests 200
    # another checkout (e.g. the commit before a patch), alternated with this one for a fair A/B:
    BENCH_APP_ROOT=/tmp/base-tree .venv/bin/python -m benchmarks.cpu_per_request ...

Users are the supervisors (`--role supervisor`) or workers of `benchmarks/data/<size>-users.json`,
one logged-in client each, taken in turn; 20 warm-up requests per client are not counted.
"""
import argparse
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP_ROOT = os.environ.get("BENCH_APP_ROOT", ROOT)
PG_BASE = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")


def backend_cpu_ns(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["small", "municipality", "national"], default="national")
    parser.add_argument("--path", default="/team")
    parser.add_argument("--role", choices=["supervisor", "worker"], default="supervisor")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--profile", metavar="FILE", help="write cProfile stats of the counted requests to FILE")
    args = parser.parse_args()

    os.environ.update({"DATABASE_URL": f"{PG_BASE}/bench_{args.size}", "SECRET_KEY": "cpu-per-request",
                       "SESSION_COOKIE_SECURE": "0", "LEDSAGER_ENV": "development",
                       "IDLE_TIMEOUT_STAFF_MIN": "120"})
    sys.path.insert(0, APP_ROOT)
    from sqlalchemy import event, text

    from benchmarks.latency import mint_citizen_cookie  # any user id: LoginSession row + cookie
    from server import create_app
    from server.extensions import db

    with open(os.path.join(ROOT, "benchmarks", "data", f"{args.size}-users.json")) as f:
        users = json.load(f)[f"{args.role}s"][: args.clients]
    app = create_app()
    clients = []
    for user in users:
        name, value = mint_citizen_cookie(app, user["id"]).split("=", 1)
        client = app.test_client()
        client.set_cookie(name, value)
        clients.append(client)

    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))

    def get(i: int) -> None:
        response = clients[i % len(clients)].get(args.path)
        if response.status_code != 200:
            raise SystemExit(f"{args.path}: {response.status_code}")

    for i in range(20 * len(clients)):
        get(i)
    with app.app_context():
        pids = [row[0] for row in db.session.execute(text(
            "select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'"))]
    statements[0] = 0
    profiler = None
    if args.profile:
        import cProfile
        profiler = cProfile.Profile()
    pg0, cpu0, wall0 = backend_cpu_ns(pids), time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for i in range(args.requests):
        get(i)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    pg = (backend_cpu_ns(pids) - pg0) / 1e9
    n = args.requests
    print(f"{APP_ROOT} {args.path} ({args.size}, {n} requests): app cpu {1000 * cpu / n:.2f} ms, "
          f"postgresql cpu {1000 * pg / n:.2f} ms, total {1000 * (cpu + pg) / n:.2f} ms per request; "
          f"wall {1000 * wall / n:.2f} ms; {statements[0] / n:.1f} statements")


if __name__ == "__main__":
    main()
