"""A clean database with the seeded world, for tests that rebuild it per route."""
from server.citizens.labels import seed_dimensions
from server.extensions import db
from tests.conftest import truncate_all
from tests.security.world import build_world


def fresh_world():
    truncate_all()
    seed_dimensions(db.session)
    db.session.commit()
    return build_world()
