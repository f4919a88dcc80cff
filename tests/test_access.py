"""Per-citizen access: who may see which citizen, decided in one loader and audited."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.db import utcnow
from server.extensions import db


@pytest.fixture
def world(make):
    """Two teams; a citizen with a primary worker; colleagues in every relation to them."""
    team, other_team = make.team(), make.team()
    owner = make.worker(team=team)
    citizen = make.citizen(worker=owner, with_login=True)
    look_alike = make.citizen(worker=owner, first_name=citizen.first_name, last_name=citizen.last_name,
                              with_login=True)
    return {
        "citizen": citizen,
        "look_alike": look_alike,
        "own": owner,
        "substitute": make.worker(team=team),
        "expired_substitute": make.worker(team=team),
        "same_team": make.worker(team=team),
        "other_team": make.worker(team=other_team),
        "supervisor": make.supervisor(team=team),
        "other_supervisor": make.supervisor(team=other_team),
        "admin": make.admin(),
    }


EXPECTED = {
    "own": True,
    "substitute": True,
    "expired_substitute": False,
    "same_team": False,
    "other_team": False,
    "supervisor": True,
    "other_supervisor": False,
    "admin": False,
}


@pytest.mark.parametrize("relation", sorted(EXPECTED))
def test_access_to_a_citizen_follows_the_relation(world, make, relation):
    from server.access import may_see

    citizen = world["citizen"]
    make.substitution(citizen, world["substitute"], world["supervisor"])
    make.substitution(citizen, world["expired_substitute"], world["supervisor"],
                      starts_at=utcnow() - timedelta(days=10), ends_at=utcnow() - timedelta(days=1))
    assert may_see(world[relation], citizen.id) is EXPECTED[relation]


def test_a_citizen_sees_themself_and_not_a_look_alike(world):
    from server.access import may_see

    citizen, look_alike = world["citizen"], world["look_alike"]
    assert may_see(citizen.user, citizen.id)
    assert not may_see(citizen.user, look_alike.id)


@pytest.mark.parametrize("relation", ["own", "supervisor", "same_team", "other_team", "other_supervisor"])
def test_the_loader_answers_404_outside_the_relation_and_audits_both_ways(world, login_as, relation):
    citizen = world["citizen"]
    client = login_as(world[relation])
    response = client.post(f"/citizens/{citizen.id}/enrolment-code", headers={"HX-Request": "true"})
    assert response.status_code == (200 if EXPECTED[relation] else 404)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.citizen_id == citizen.id)).all()
    assert [(e.user_id, e.outcome) for e in events] == [
        (world[relation].id, "ok" if EXPECTED[relation] else "denied")
    ]


def test_an_unknown_citizen_id_is_404_and_audited_as_denied(world, login_as):
    client = login_as(world["own"])
    assert client.post("/citizens/999999/enrolment-code").status_code == 404
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.citizen_id == 999999))
    assert event.outcome == "denied"
