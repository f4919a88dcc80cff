"""Backup and restore of the whole database: SQLite's online backup API, or pg_dump/pg_restore."""
import os
import sqlite3
import subprocess

from sqlalchemy.engine import make_url


def sqlite_path(url) -> str:
    path = url.database
    if not path or path == ":memory:":
        raise ValueError("an in-memory SQLite database cannot be backed up")
    return path


def libpq_args(url) -> tuple[list[str], dict]:
    """DATABASE_URL -> command-line arguments and environment for pg_dump/pg_restore.

    The password goes in PGPASSWORD, never on the command line (visible in `ps`).
    """
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    sslmode = url.query.get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return args, env


def backup(database_url: str, target: str) -> None:
    """Write a consistent copy of the live database to `target` while the app keeps running."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(sqlite_path(url))
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)  # online: readers and writers may continue
        finally:
            destination.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        args, env = libpq_args(url)
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", target, *args, url.database],
                       check=True, env=env)
    else:
        raise ValueError(f"no backup method for {url.get_backend_name()}")


def restore(database_url: str, source: str) -> None:
    """Replace the database's content with the backup in `source`."""
    if not os.path.exists(source):
        raise FileNotFoundError(source)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        backup_db = sqlite3.connect(source)
        live = sqlite3.connect(sqlite_path(url))
        try:
            with live:
                backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    elif url.get_backend_name() == "postgresql":
        args, env = libpq_args(url)
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--exit-on-error", "--dbname", url.database, *args, source], check=True, env=env)
    else:
        raise ValueError(f"no restore method for {url.get_backend_name()}")
