"""Command line: migrate the database, load demo data, create users."""
import os

import click
from flask import Flask, current_app
from sqlalchemy import select


def alembic_config():
    from alembic.config import Config as AlembicConfig

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    config = AlembicConfig(os.path.join(root, "alembic.ini"))
    config.set_main_option("sqlalchemy.url", current_app.config["SQLALCHEMY_DATABASE_URI"].replace("%", "%%"))
    return config


def upgrade_database(revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(), revision)


def init_app(app: Flask) -> None:
    from server.reminders import commands as reminder_commands
    from server.retention import commands as retention_commands

    reminder_commands.init_app(app)  # send-reminders, vapid-keys
    retention_commands.init_app(app)  # audit-purge, anonymise-ended, backup, restore
    @app.cli.command("upgrade")
    @click.argument("revision", default="head")
    def upgrade_command(revision):
        """Upgrade the database to the latest schema."""
        upgrade_database(revision)
        click.echo(f"Database upgraded to {revision}.")

    @app.cli.command("demo")
    @click.option("--reset", is_flag=True, help="Drop all data first (development only).")
    def demo_command(reset):
        """Load invented Danish demo data and print the demo log-ins."""
        from server import demo

        logins = demo.load(reset=reset)
        click.echo("\nLedsager demo log-ins (password for all: %s):" % demo.DEMO_PASSWORD)
        for username, description in logins:
            click.echo(f"  {username:<10} {description}")
        click.echo("\nOpen http://localhost:5000 and log in.\n")

    @app.cli.command("audit-verify")
    def audit_verify_command():
        """Verify the audit log's hash chain; exit 1 at the first tampered row."""
        from server.audit.operations import verify_chain

        checked, broken = verify_chain()
        if broken is not None:
            raise click.ClickException(f"audit chain broken at row {broken} (after {checked} good rows)")
        click.echo(f"audit chain intact: {checked} rows")

    @app.cli.command("create-user")
    @click.option("--username", required=True)
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice(["worker", "supervisor", "admin"]), required=True)
    @click.option("--team-id", type=int)
    @click.password_option()
    def create_user_command(username, name, role, team_id, password):
        """Create a staff user with a password (passkeys can be added after log-in)."""
        from server.auth.models import User
        from server.auth.passwords import hash_password
        from server.extensions import db

        if db.session.scalar(select(User).where(User.username == username.lower())):
            raise click.ClickException(f"user {username} exists")
        db.session.add(User(username=username.lower(), name=name, role=role, team_id=team_id,
                            password_hash=hash_password(password)))
        db.session.commit()
        click.echo(f"Created {role} {username}.")
