"""Commands: `flask audit-purge`, `flask anonymise-ended`, `flask backup`, `flask restore`.

Run audit-purge and anonymise-ended daily (cron / systemd timer); both are idempotent and safe
on several instances at once.
"""
import click
from flask import Flask, current_app

from server.db import utcnow
from server.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("audit-purge")
    def audit_purge_command():
        """Delete access-log rows older than AUDIT_RETENTION_DAYS (default 183 days)."""
        from server.retention.operations import purge_audit

        purged = purge_audit(utcnow())
        db.session.commit()
        click.echo(f"audit log: {purged} rows older than {current_app.config['AUDIT_RETENTION_DAYS']} days purged")

    @app.cli.command("anonymise-ended")
    def anonymise_ended_command():
        """Anonymise case data of courses that ended more than CASE_RETENTION_DAYS ago."""
        from server.retention.operations import anonymise_ended

        done = anonymise_ended(utcnow(), commit=db.session.commit)
        db.session.commit()
        click.echo(f"anonymised {done} citizens (courses ended more than "
                   f"{current_app.config['CASE_RETENTION_DAYS']} days ago)")

    @app.cli.command("backup")
    @click.argument("target", type=click.Path(dir_okay=False))
    def backup_command(target):
        """Write a backup of the database to TARGET (SQLite copy or pg_dump custom format)."""
        from server.retention.backup import backup

        db.session.remove()
        backup(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
        click.echo(f"backup written to {target}")

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(exists=True, dir_okay=False))
    @click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
    def restore_command(source, yes):
        """Replace the database's content with the backup in SOURCE."""
        from server.retention.backup import restore

        if not yes:
            click.confirm("This replaces every row in the database. Continue?", abort=True)
        db.session.remove()
        db.engine.dispose()
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], source)
        click.echo(f"database restored from {source}")
