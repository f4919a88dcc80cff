"""Fixtures for the citizen's pages: a worker with an enrolled-looking citizen (a login, no passkey)."""
import pytest


@pytest.fixture
def team(make):
    return make.team()


@pytest.fixture
def worker(make, team):
    return make.worker(team=team, name="Mette Medarbejder", phone="+45 20 30 40 50", email="mette@soby.dk")


@pytest.fixture
def citizen(make, worker):
    return make.citizen(worker=worker, with_login=True, first_name="Anna", last_name="Andersen")


@pytest.fixture
def me(login_as, citizen):
    """A test client logged in as the citizen."""
    return login_as(citizen.user)
