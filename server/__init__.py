"""Ledsager: the working tool for Intensive Case Management (ICM)."""
import os

from flask import Flask

from server.config import Config


def create_app(config: type | dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    configure_database(app)
    check_production_config(app)
    configure_routing(app)
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_commands(app)
    return app


def configure_database(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "ledsager.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"


def configure_routing(app: Flask) -> None:
    """`<int:...>` ids stop at PostgreSQL's integer range: a larger id is a 404, not a 500."""
    from werkzeug.routing import IntegerConverter

    class DatabaseIntConverter(IntegerConverter):
        def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
            super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    app.url_map.converters["int"] = DatabaseIntConverter


def check_production_config(app: Flask) -> None:
    from server.config import DEFAULT_SECRET

    if app.config["LEDSAGER_ENV"] == "production":
        if app.config["SECRET_KEY"] in (DEFAULT_SECRET, "", None) or len(app.config["SECRET_KEY"]) < 32:
            raise RuntimeError("Refusing to start in production with a default or short SECRET_KEY")
        if app.debug:
            raise RuntimeError("Refusing to start in production with debug on")


def register_extensions(app: Flask) -> None:
    from server import i18n
    from server.auth import sessions
    from server.db import enable_sqlite_pragmas
    from server.extensions import babel, csrf, db, limiter, login_manager
    import server.models  # noqa: F401  (every table in the metadata before first use)

    db.init_app(app)
    with app.app_context():
        enable_sqlite_pragmas(db.engine)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)
    sessions.init_login_manager(app, login_manager)


def register_blueprints(app: Flask) -> None:
    from server.admin.views import bp as admin
    from server.appointments.views import bp as appointments
    from server.audit.views import bp as audit
    from server.auth.views import bp as auth
    from server.bench.views import bp as bench
    from server.bench.views import bp as bench
    from server.citizens.views import bp as citizens
    from server.contacts.views import bp as contacts
    from server.housing.views import bp as housing
    from server.offers.views import bp as offers
    from server.plans.views import bp as plans
    from server.portal.views import bp as portal
    from server.pwa.views import bp as pwa
    from server.reminders.views import bp as reminders
    from server.sync.views import bp as sync
    from server.teams.views import bp as teams
    from server.today.views import bp as today

    for bp in (auth, today, citizens, contacts, reminders, appointments, plans, housing,
               offers, teams, portal, admin, audit, sync, pwa, bench):
        app.register_blueprint(bp)


def register_hooks(app: Flask) -> None:
    from server import errors, policy, security

    policy.init_app(app)
    security.init_app(app)
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from server import cli

    cli.init_app(app)
