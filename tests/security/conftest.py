"""Fixtures for the generic security tests."""
import pytest

from tests.conftest import login
from tests.security.forms import discover_forms, forms_by_endpoint
from tests.security.worlds import fresh_world

# Crawling every page of every role takes seconds; the world is rebuilt identically (same ids)
# for every test, so the forms found once serve the whole session.
_DISCOVERED = {}


@pytest.fixture
def discovered(app, make):
    """Forms seen by each acting role, keyed by endpoint then action path; plus all field names."""
    if "forms" not in _DISCOVERED:
        world = fresh_world()
        by_actor = {}
        for name in ("own", "supervisor", "citizen", "admin"):
            actor = world.users[name]
            forms = discover_forms(app, login(app.test_client(), actor), world.ids_for("own", actor))
            by_actor[name] = forms_by_endpoint(app, forms)
        pool = sorted({field for forms in by_actor.values() for per_path in forms.values()
                       for fields, _kinds in per_path.values() for field in fields})
        _DISCOVERED["forms"] = (by_actor, pool)
    return _DISCOVERED["forms"]
