#!/usr/bin/env python3
"""Restore drill (SECURITY.md #24): generate -> backup -> restore into a fresh database -> compare.

    python scripts/restore_drill.py                               # SQLite, 'small' data set
    python scripts/restore_drill.py --size municipality           # the SECURITY.md figure
    python scripts/restore_drill.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    python scripts/restore_drill.py --source-url URL              # drill on an existing database
                                                                  # (read only: backed up, never changed)

The data comes from `python -m benchmarks.generate` (deterministic, invented people). The
backup and restore are the same code as `flask backup` / `flask restore` (SQLite online backup
API; pg_dump -Fc / pg_restore --clean). Every table is compared by row count and by an
order-independent checksum of its rows. Prints "0 differences" and exits 0, or lists the
differences and exits 1. Scratch databases are removed afterwards.
"""
import argparse
import hashlib
import os
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sqlalchemy import MetaData, create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from server.retention.backup import backup, restore  # noqa: E402


def table_digests(url: str) -> dict[str, tuple[int, str]]:
    """{table: (rows, checksum)}; the checksum is the sum of per-row SHA-256 (order-independent)."""
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        result = {}
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                total, rows = 0, 0
                for row in connection.execute(select(table)).yield_per(5000):
                    digest = hashlib.sha256(repr(tuple(row)).encode()).digest()
                    total = (total + int.from_bytes(digest, "big")) % (1 << 256)
                    rows += 1
                result[table.name] = (rows, f"{total:064x}")
        return result
    finally:
        engine.dispose()


def compare(source: dict, restored: dict) -> list[str]:
    differences = []
    for name in sorted(set(source) | set(restored)):
        a, b = source.get(name), restored.get(name)
        if a is None or b is None:
            differences.append(f"{name}: only in the {'backup' if a is None else 'source'}")
        elif a[0] != b[0]:
            differences.append(f"{name}: {a[0]} rows in the source, {b[0]} restored")
        elif a[1] != b[1]:
            differences.append(f"{name}: same {a[0]} rows, different content (checksum)")
    return differences


class Scratch:
    """Throw-away databases: SQLite files in a temp folder, or databases on a PostgreSQL server."""

    def __init__(self, postgres_url: str | None):
        self.postgres = make_url(postgres_url) if postgres_url else None
        self.folder = tempfile.mkdtemp(prefix="ledsager-drill-")
        self.created = []

    def database(self, label: str) -> str:
        if self.postgres is None:
            return f"sqlite:///{os.path.join(self.folder, label + '.sqlite')}"
        name = f"ledsager_drill_{label}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(self.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.created.append(name)
        return self.postgres.set(database=name).render_as_string(hide_password=False)

    def cleanup(self):
        if self.postgres is not None and self.created:
            admin = create_engine(self.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                for name in self.created:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def drill(size: str = "small", postgres_url: str | None = None, source_url: str | None = None,
          quiet: bool = False) -> list[str]:
    scratch = Scratch(postgres_url or (source_url if source_url and source_url.startswith("postgresql") else None))
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    try:
        started = time.monotonic()
        if source_url is None:
            from benchmarks.generate import generate

            source_url = scratch.database("source")
            result = generate(size, source_url, quiet=True,
                              users_path=os.path.join(scratch.folder, f"{size}-users.json"))
            say(f"generated '{size}': {sum(result['rows'].values()):,} rows")
        backup_file = os.path.join(scratch.folder, "ledsager.backup")
        backup(source_url, backup_file)
        say(f"backup: {os.path.getsize(backup_file):,} bytes")
        target_url = scratch.database("restored")
        restore(target_url, backup_file)
        source, restored = table_digests(source_url), table_digests(target_url)
        differences = compare(source, restored)
        say(f"compared {len(source)} tables, {sum(rows for rows, _ in source.values()):,} rows "
            f"in {time.monotonic() - started:.1f} s")
        return differences
    finally:
        scratch.cleanup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", choices=["small", "municipality", "national"])
    parser.add_argument("--postgres", help="a PostgreSQL server URL (any database): scratch databases are "
                                           "created there and dropped afterwards")
    parser.add_argument("--source-url", help="drill on this existing database instead of generated data")
    args = parser.parse_args(argv)
    differences = drill(args.size, args.postgres, args.source_url)
    if differences:
        print(f"{len(differences)} differences:")
        for line in differences:
            print("  " + line)
        return 1
    print("0 differences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
