"""Alembic: one head; empty → head → base → head works and `alembic check` finds no drift,
on SQLite and (when the suite runs on it) PostgreSQL."""
import os

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select, text

from tests.conftest import _TMP

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def alembic_config(url: str) -> Config:
    config = Config(os.path.join(ROOT, "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@pytest.fixture
def empty_database_url():
    test_url = os.environ.get("TEST_DATABASE_URL", "")
    if test_url.startswith("postgresql"):
        admin = create_engine(test_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS ledsager_migrations"))
            connection.execute(text("CREATE DATABASE ledsager_migrations"))
        admin.dispose()
        yield test_url.rsplit("/", 1)[0] + "/ledsager_migrations"
        return
    path = os.path.join(_TMP, "migrations.sqlite")
    if os.path.exists(path):
        os.remove(path)
    yield f"sqlite:///{path}"


def test_there_is_a_single_head():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1


def test_upgrade_downgrade_upgrade_and_no_drift_from_the_models(empty_database_url):
    config = alembic_config(empty_database_url)
    command.upgrade(config, "head")
    command.check(config)  # raises if the models and the migrations disagree
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        dimensions = connection.execute(text("SELECT count(*) FROM dimensions")).scalar()
    assert dimensions == 8
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(text("dimensions"))).scalar() == 8
    engine.dispose()


def test_the_latest_revision_down_and_up_again_on_the_demo_data_loses_no_row(empty_database_url):
    """SECURITY.md #23 on seeded data: the demo data set survives downgrade -1 → upgrade head."""
    from sqlalchemy import MetaData

    from server import create_app, demo

    config = alembic_config(empty_database_url)
    command.upgrade(config, "head")
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "migration-test-secret-key-0123456789",
                      "TESTING": True})
    with app.app_context():
        demo.load()
        from server.extensions import db

        db.session.remove()
        db.engine.dispose()

    def row_counts() -> dict:
        engine = create_engine(empty_database_url)
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            counts = {t.name: connection.execute(select(func.count()).select_from(t)).scalar()
                      for t in metadata.sorted_tables if t.name != "alembic_version"}
        engine.dispose()
        return counts

    before = row_counts()
    assert sum(before.values()) > 500 and before["contacts"] > 0
    command.downgrade(config, "-1")
    command.upgrade(config, "head")
    assert row_counts() == before
