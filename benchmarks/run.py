"""Run the PERFORMANCE.md benchmarks on one data set and database, and write the results.

    python -m benchmarks.run --size small|municipality|national --database sqlite|postgresql
                             [--only latency,growth,bytes,replay,lighthouse] [--seconds 8]

1. The data set is generated if missing (benchmarks/generate.py, bulk inserts): SQLite in
   instance/bench-<size>.sqlite, PostgreSQL in the database bench_<size> (created with
   `psql -h 127.0.0.1 -U postgres`; override with BENCH_PG_URL=postgresql+psycopg://user@host:port).
2. gunicorn serves the app as in production (`-w 2 --threads 4 --worker-connections 8`, DATABASE_URL, a fixed benchmark
   SECRET_KEY, SESSION_COOKIE_SECURE=0 because it is plain http on loopback, a high
   LOGIN_RATE_LIMIT because every simulated client logs in from 127.0.0.1).
3. latency (wrk, benchmarks/latency.py), growth (this size against the latest `small` result on
   the same database), bytes (Playwright + Chromium, benchmarks/bytes.py), replay
   (benchmarks/offline_replay.py), lighthouse (npm lighthouse, benchmarks/lighthouse.py).
4. benchmarks/results/<date>-<size>-<db>.json and benchmarks/results/latest.md (report.py).
"""
import argparse
import datetime as dt
import json
import os
import platform
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "benchmarks")
RESULTS = os.path.join(HERE, "results")
BIN = os.path.dirname(sys.executable)
SECRET_KEY = "benchmark-only-secret-key-not-for-production-0123456789"
WORKERS, THREADS = 2, 4
# At most this many connections per worker (gunicorn's gthread honours --worker-connections): wrk
# opens its 16 keep-alive connections at once and one worker often accepted all 16, leaving the
# other core to PostgreSQL alone (benchmarks/latency.py, module notes). In production a proxy
# spreads the requests over the workers; this does the same for wrk's 16 clients.
WORKER_CONNECTIONS = 16 // WORKERS
ALL = ["latency", "growth", "bytes", "replay", "lighthouse"]
PG_BASE = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
# Serve the app from another checkout (e.g. to measure a proposed patch against the same data):
# BENCH_APP_ROOT=/path/to/tree python -m benchmarks.run ...  The result records which.
APP_ROOT = os.environ.get("BENCH_APP_ROOT", ROOT)

sys.path.insert(0, ROOT)


def log(*args):
    print(*args, flush=True)


# ---------------------------------------------------------------- data set

def database_url(size: str, database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{os.path.join(ROOT, 'instance', f'bench-{size}.sqlite')}"
    return f"{PG_BASE}/bench_{size}"


def _psql(sql: str, db: str = "postgres") -> str:
    host = PG_BASE.split("@")[-1].split(":")[0]
    user = PG_BASE.split("//")[-1].split("@")[0]
    return subprocess.run(["psql", "-h", host, "-U", user, "-d", db, "-Atc", sql],
                          capture_output=True, text=True, check=True).stdout.strip()


def has_data(url: str) -> bool:
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite:///") and not os.path.exists(url[len("sqlite:///"):]):
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return (c.execute(text("select count(*) from contacts")).scalar() or 0) > 0
    except Exception:
        return False
    finally:
        engine.dispose()


def ensure_dataset(size: str, database: str) -> str:
    url = database_url(size, database)
    if database == "postgresql":
        name = f"bench_{size}"
        if _psql(f"select 1 from pg_database where datname = '{name}'") != "1":
            log(f"creating PostgreSQL database {name}")
            _psql(f'CREATE DATABASE "{name}"')
    else:
        os.makedirs(os.path.join(ROOT, "instance"), exist_ok=True)
    users = os.path.join(HERE, "data", f"{size}-users.json")
    if not has_data(url) or not os.path.exists(users):
        log(f"generating data set {size} on {database} ...")
        started = time.time()
        subprocess.run([sys.executable, "-m", "benchmarks.generate", "--size", size, "--database-url", url],
                       cwd=ROOT, check=True)
        log(f"generated in {time.time() - started:.0f} s")
    else:  # a data set from an earlier checkout: bring its schema to this one's head (often a no-op)
        subprocess.run([os.path.join(BIN, "flask"), "--app", "server", "upgrade"], cwd=ROOT, check=True,
                       env=server_env(url), stdout=subprocess.DEVNULL)
    return url


def load_users(size: str) -> dict:
    with open(os.path.join(HERE, "data", f"{size}-users.json"), encoding="utf-8") as f:
        return json.load(f)


def row_counts(url: str) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    out = {}
    with engine.connect() as c:
        for table in ("users", "citizens", "contacts", "reminders", "appointments", "audit_events"):
            try:
                out[table] = c.execute(text(f"select count(*) from {table}")).scalar()
            except Exception:
                out[table] = None
    engine.dispose()
    return out


def cleanup(url: str) -> int:
    """Remove the contacts the log-contact benchmark added, so the data set stays the same size."""
    from sqlalchemy import create_engine, text

    from benchmarks.latency import BENCH_NOTE

    engine = create_engine(url)
    with engine.begin() as c:
        ids = "select id from contacts where note = :n"
        for sql in (f"delete from contact_dimensions where contact_id in ({ids})",):
            try:
                c.execute(text(sql), {"n": BENCH_NOTE})
            except Exception:
                pass
        n = c.execute(text("delete from contacts where note = :n"), {"n": BENCH_NOTE}).rowcount
    engine.dispose()
    return n


# ---------------------------------------------------------------- server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str) -> dict:
    env = dict(os.environ)
    env.update({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "SESSION_COOKIE_SECURE": "0",
                "LEDSAGER_ENV": "development", "LOGIN_RATE_LIMIT": "1000000 per minute",
                "IDLE_TIMEOUT_STAFF_MIN": "120", "IDLE_TIMEOUT_CITIZEN_MIN": "120"})
    env.pop("FLASK_DEBUG", None)
    return env


class Server:
    def __init__(self, url: str, access_log: str | None = None):
        self.url = url
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.access_log = access_log
        self.proc = None

    def __enter__(self):
        cmd = [os.path.join(BIN, "gunicorn"), "server:create_app()", "-w", str(WORKERS), "--threads", str(THREADS),
               "--worker-connections", str(WORKER_CONNECTIONS), "-b", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        if self.access_log:
            cmd += ["--access-logfile", self.access_log, "--access-logformat", '%(m)s %(U)s %(s)s %(B)s']
        self.proc = subprocess.Popen(cmd, cwd=APP_ROOT, env=server_env(self.url))
        deadline = time.time() + 60
        import requests

        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited at start")
            try:
                requests.get(self.base + "/login", timeout=2)
                return self
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def bench_app(url: str):
    """The app object with the server's config, to mint citizen sessions in the same database."""
    os.environ.update({k: v for k, v in server_env(url).items()
                       if k in ("DATABASE_URL", "SECRET_KEY", "SESSION_COOKIE_SECURE", "LEDSAGER_ENV")})
    from server import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})


# ---------------------------------------------------------------- machine facts

def machine(url: str) -> dict:
    facts = {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
             "sqlite": sqlite3.sqlite_version, "gunicorn": f"-w {WORKERS} --threads {THREADS} --worker-connections {WORKER_CONNECTIONS} (gthread)",
             "load_average_at_start": os.getloadavg()}
    try:
        with open("/proc/meminfo") as f:
            facts["memory_mb"] = int(f.readline().split()[1]) // 1024
    except OSError:
        pass
    try:
        facts["postgresql"] = _psql("show server_version")
    except Exception:
        facts["postgresql"] = None
    try:
        facts["wrk"] = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    except Exception:
        facts["wrk"] = None
    try:
        import gunicorn
        facts["gunicorn_version"] = gunicorn.__version__
    except Exception:
        pass
    return facts


# ---------------------------------------------------------------- main

def latest_result(size: str, database: str, need: str) -> dict | None:
    from benchmarks.report import load_results

    for r in sorted(load_results(RESULTS), key=lambda r: r["started_at"], reverse=True):
        if r["size"] == size and r["database"] == database and r.get(need):
            return r
    return None


def growth(current: dict, base: dict) -> dict:
    out = {"from": f"{base['size']} ({base['started_at']})", "to": f"{current['size']} ({current['started_at']})",
           "pages": {}}
    for conc in ("1", "16"):
        cur, old = current["latency"].get(conc, {}), base["latency"].get(conc, {})
        for page, r in cur.items():
            if page == "floor" or page not in old:
                continue
            entry = out["pages"].setdefault(page, {})
            entry[f"c{conc}_p95_ratio"] = round(r["p95_ms"] / old[page]["p95_ms"], 2)
            entry[f"c{conc}_p50_ratio"] = round(r["p50_ms"] / old[page]["p50_ms"], 2)
            # The same ratio with each run's floor divided out, to cancel machine noise between runs.
            if r.get("ratio_p95_to_floor") and old[page].get("ratio_p95_to_floor"):
                entry[f"c{conc}_floor_normalised_ratio"] = round(
                    r["ratio_p95_to_floor"] / old[page]["ratio_p95_to_floor"], 2)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["small", "municipality", "national"], default="small")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--only", default=",".join(ALL), help="comma list of " + ",".join(ALL))
    parser.add_argument("--seconds", type=float, default=8, help="wrk run per page and concurrency")
    parser.add_argument("--replay-entries", type=int, default=1000)
    parser.add_argument("--label", default="", help="a note stored with the result (e.g. 'with patch X')")
    args = parser.parse_args(argv)
    only = [o.strip() for o in args.only.split(",") if o.strip()]
    unknown = set(only) - set(ALL)
    if unknown:
        parser.error(f"unknown --only parts: {', '.join(sorted(unknown))}")

    started = dt.datetime.now(dt.UTC)
    url = ensure_dataset(args.size, args.database)
    users = load_users(args.size)
    result = {"started_at": started.isoformat(timespec="seconds"), "size": args.size, "database": args.database,
              "machine": machine(url), "rows": row_counts(url), "seconds_per_measurement": args.seconds,
              "command": "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:]),
              "method": {
                  "latency": "wrk closed loop on loopback, -t1 -c1 and -t1 -c16, 2 s warm-up then "
                             f"{args.seconds:g} s per page; latency = request sent to answer received on "
                             "127.0.0.1 (server time + loopback). Floor measured before and after the pages.",
              }}
    result.update({"app_root": APP_ROOT, "app_commit": _git_head(), "label": args.label,
                   "patched": APP_ROOT != ROOT})
    log(f"Ledsager benchmark: {args.size} on {args.database}; parts: {', '.join(only)}")
    app = bench_app(url)
    access_log = os.path.join(tempfile.gettempdir(), "ledsager-bench-access.log") if "bytes" in only else None
    if "growth" in only and args.size != "small":
        # Growth in the same run: `small` on the same database measured just before this size,
        # so both see the same machine load (comparing runs made at different times is noise).
        from benchmarks import latency

        small_url = ensure_dataset("small", args.database)
        log("growth: measuring `small` first on the same database")
        with Server(small_url) as small_server:
            small_clients = latency.make_clients(small_server.base, load_users("small"), bench_app(small_url), 16)
            small_latency = latency.measure(small_server.base, small_clients, seconds=args.seconds, log=log)
        cleanup(small_url)
        result["growth_base"] = {"size": "small", "started_at": result["started_at"], "latency": small_latency,
                                 "rows": row_counts(small_url)}
    with Server(url, access_log=access_log) as server:
        if "latency" in only or "growth" in only:
            from benchmarks import latency

            clients = latency.make_clients(server.base, users, app, 16)
            result["latency"] = latency.measure(server.base, clients, seconds=args.seconds, log=log)
            result["benchmark_contacts_removed"] = cleanup(url)
        if "bytes" in only:
            from benchmarks import bytes as bytes_bench

            result["bytes"] = bytes_bench.measure(server.base, users, access_log, log=log, database_url=url)
        if "lighthouse" in only:
            from benchmarks import lighthouse

            result["lighthouse"] = lighthouse.measure(server.base, users, app, log=log)
    if "growth" in only and args.size != "small" and result.get("latency"):
        base = result.get("growth_base") or latest_result("small", args.database, "latency")
        if base:
            result["growth"] = growth(result, base)
        else:
            log("growth: no `small` latency result on this database yet; run --size small first")
    if "replay" in only:
        result["offline_replay"] = run_replay(args.database, args.replay_entries)
    result["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    result["machine"]["load_average_at_end"] = os.getloadavg()

    os.makedirs(RESULTS, exist_ok=True)
    suffix = "" if APP_ROOT == ROOT else "-patched"
    path = os.path.join(RESULTS, f"{started:%Y-%m-%dT%H%M}-{args.size}-{args.database}{suffix}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
    from benchmarks import report

    md = report.write_latest(RESULTS)
    log(f"\nwrote {os.path.relpath(path, ROOT)} and {os.path.relpath(md, ROOT)}")
    return 0


def _git_head() -> str | None:
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip() or None
    except OSError:
        return None


def run_replay(database: str, entries: int) -> dict:
    """benchmarks/offline_replay.py (it builds its own empty database: never the data set's)."""
    cmd = [sys.executable, os.path.join(HERE, "offline_replay.py"), "--entries", str(entries)]
    if database == "postgresql":
        if _psql("select 1 from pg_database where datname = 'bench_replay'") != "1":
            _psql('CREATE DATABASE "bench_replay"')
        cmd += ["--database", f"{PG_BASE}/bench_replay"]
    log(f"offline replay: {' '.join(cmd[1:])}")
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    try:
        start = out.stdout.index("{")
        return json.loads(out.stdout[start:out.stdout.rindex("}") + 1])
    except ValueError:
        return {"error": (out.stdout + out.stderr)[-2000:]}


if __name__ == "__main__":
    sys.exit(main())
