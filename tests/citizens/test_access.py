"""Per-citizen access on the worker's pages: own caseload, active substitution, own team only."""
from datetime import timedelta

import pytest

from server.db import utcnow

PAGES = [
    ("get", "/citizens/{id}"),
    ("get", "/citizens/{id}/contacts/new"),
    ("post", "/citizens/{id}/contacts"),
    ("post", "/citizens/{id}/attempts"),
    ("get", "/citizens/{id}/network"),
    ("post", "/citizens/{id}/network"),
]
WORKER_PAGES = PAGES
STAFF_PAGES = [p for p in PAGES if "contacts" not in p[1] and "attempts" not in p[1]]


def call(client, method, path, citizen):
    return getattr(client, method)(path.format(id=citizen.id), data={})


@pytest.mark.parametrize("method,path", WORKER_PAGES)
def test_worker_cannot_open_or_post_to_a_citizen_outside_the_caseload(make, login_as, method, path):
    team = make.team()
    colleague = make.worker(team=team)
    citizen = make.citizen(worker=colleague, first_name="Hemmelig")
    response = call(login_as(make.worker(team=team)), method, path, citizen)
    assert response.status_code == 404
    assert "Hemmelig" not in response.get_data(as_text=True)


@pytest.mark.parametrize("method,path", WORKER_PAGES)
def test_a_substitute_can_while_the_substitution_is_active(make, login_as, method, path):
    team = make.team()
    citizen = make.citizen(worker=make.worker(team=team))
    substitute = make.worker(team=team)
    make.substitution(citizen, substitute, granted_by=make.supervisor(team=team))
    response = call(login_as(substitute), method, path, citizen)
    assert response.status_code != 404


@pytest.mark.parametrize("method,path", WORKER_PAGES)
def test_a_substitute_cannot_after_the_substitution_ended(make, login_as, method, path):
    team = make.team()
    citizen = make.citizen(worker=make.worker(team=team))
    substitute = make.worker(team=team)
    now = utcnow()
    make.substitution(citizen, substitute, granted_by=make.supervisor(team=team),
                      starts_at=now - timedelta(days=7), ends_at=now - timedelta(minutes=1))
    assert call(login_as(substitute), method, path, citizen).status_code == 404


@pytest.mark.parametrize("method,path", STAFF_PAGES)
def test_supervisor_of_another_team_cannot(make, login_as, method, path):
    citizen = make.citizen(worker=make.worker(team=make.team()))
    response = call(login_as(make.supervisor(team=make.team())), method, path, citizen)
    assert response.status_code == 404


@pytest.mark.parametrize("method,path", STAFF_PAGES)
def test_supervisor_of_the_citizens_team_can(make, login_as, method, path):
    team = make.team()
    citizen = make.citizen(worker=make.worker(team=team))
    assert call(login_as(make.supervisor(team=team)), method, path, citizen).status_code in (200, 302, 422)


def test_network_person_of_another_citizen_cannot_be_changed_through_my_citizen(make, login_as):
    from server.citizens.models import NetworkPerson
    from server.extensions import db

    team = make.team()
    worker = make.worker(team=team)
    mine = make.citizen(worker=worker)
    theirs = make.citizen(worker=make.worker(team=team))
    person = NetworkPerson(citizen_id=theirs.id, name="Mor", relation="mor")
    db.session.add(person)
    db.session.commit()
    response = login_as(worker).post(f"/citizens/{mine.id}/network/{person.id}",
                                     data={"name": "Ændret", "relation": "x", "contact_wish": "unsure"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(NetworkPerson, person.id).name == "Mor"


def test_a_citizen_and_an_admin_cannot_open_the_worker_pages(make, login_as):
    team = make.team()
    citizen = make.citizen(worker=make.worker(team=team), with_login=True)
    from server.auth.models import User
    from server.extensions import db

    citizen_user = db.session.get(User, citizen.user_id)
    for user in (citizen_user, make.admin()):
        client = login_as(user)
        for path in ("/today", "/citizens", f"/citizens/{citizen.id}", "/citizens/new"):
            assert client.get(path).status_code == 403, (user.role, path)


@pytest.mark.parametrize("method,path", PAGES + [("post", "/citizens/{id}/network/99999999999999999999")])
def test_ids_beyond_the_integer_range_are_refused_not_an_error(make, login_as, method, path):
    client = login_as(make.worker(team=make.team()))
    response = getattr(client, method)(path.format(id=99999999999999999999), data={})
    assert response.status_code in (404, 405)
