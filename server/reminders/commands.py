"""CLI: `flask send-reminders` (run every minute) and `flask vapid-keys` (once, at set-up)."""
import click
from flask import Flask, current_app

from server.reminders import push


def init_app(app: Flask) -> None:
    # Keys made by `flask vapid-keys` live in the instance folder; read them at start-up.
    push.load_vapid(app)

    @app.cli.command("send-reminders")
    def send_reminders_command():
        """Push due reminders to workers and tomorrow's appointments to citizens."""
        reminders, appointments = push.send_all()
        click.echo(f"Reminders handled: {reminders}; appointment reminders handled: {appointments}.")

    @app.cli.command("vapid-keys")
    @click.option("--force", is_flag=True, help="Replace existing keys (every phone must subscribe again).")
    def vapid_keys_command(force):
        """Create the VAPID key pair for web push in instance/vapid.json."""
        app = current_app._get_current_object()
        path = push.vapid_path(app)
        if app.config.get("VAPID_PRIVATE_KEY") and not force:
            click.echo("VAPID keys are already configured; nothing to do (use --force to replace).")
            return
        keys = push.generate_vapid_keys()
        push.write_vapid_file(app, keys)
        app.config["VAPID_PRIVATE_KEY"], app.config["VAPID_PUBLIC_KEY"] = keys["private_key"], keys["public_key"]
        click.echo(f"VAPID keys written to {path}.")
        click.echo(f"Public key: {keys['public_key']}")
        if app.config.get("VAPID_SUBJECT", "").endswith(".invalid"):
            click.echo("Set VAPID_SUBJECT to a real mailto: address; push services reject placeholders.")
