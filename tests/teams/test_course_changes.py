"""Course changes: reassignment with the cap, substitutions, ending a course; access follows."""
from datetime import date, timedelta

import pytest

from server.audit.models import AuditEvent
from server.citizens.models import Assignment, Citizen, CourseStatus, Substitution
from server.db import utcnow
from server.extensions import db
from tests.teams import builders as b


@pytest.fixture
def team_setup(make):
    team = make.team()
    boss = make.supervisor(team=team)
    old, new = make.worker(team=team, name="Gammel Medarbejder"), make.worker(team=team, name="Ny Medarbejder")
    citizen = make.citizen(worker=old)
    return team, boss, old, new, citizen


def test_reassignment_moves_access_and_keeps_history(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    old_client = login_as(old)
    assert old_client.get(f"/citizens/{citizen.id}").status_code == 200
    response = login_as(boss).post(f"/team/citizens/{citizen.id}/reassign",
                                   data={"worker_id": new.id, "reason": "Bedre match"})
    assert response.status_code == 303
    assert old_client.get(f"/citizens/{citizen.id}").status_code == 404
    assert login_as(new).get(f"/citizens/{citizen.id}").status_code == 200
    page = login_as(boss).get(f"/team/citizens/{citizen.id}/reassign").get_data(as_text=True)
    assert page.count("data-assignment") == 2 and "Bedre match" in page
    assert db.session.query(AuditEvent).filter_by(action="assign", citizen_id=citizen.id).count() == 1


def test_reassignment_over_the_cap_is_refused_without_an_override_reason(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    for _ in range(8):
        make.citizen(worker=new)
    client = login_as(boss)
    response = client.post(f"/team/citizens/{citizen.id}/reassign", data={"worker_id": new.id, "reason": "x"})
    assert response.status_code == 422
    assert "allerede 8 borgere" in response.get_data(as_text=True)
    assert db.session.query(Assignment).filter_by(citizen_id=citizen.id, ends_at=None).one().worker_id == old.id
    response = client.post(f"/team/citizens/{citizen.id}/reassign",
                           data={"worker_id": new.id, "reason": "x", "override_reason": "Kort overgang"})
    assert response.status_code == 303
    current = db.session.query(Assignment).filter_by(citizen_id=citizen.id, ends_at=None).one()
    assert current.worker_id == new.id and current.cap_override_reason == "Kort overgang"


def test_reassignment_to_a_worker_outside_the_team_or_without_reason_is_422(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    stranger = make.worker(team=make.team())
    client = login_as(boss)
    for data in ({"worker_id": stranger.id, "reason": "x"}, {"worker_id": new.id, "reason": ""},
                 {"worker_id": "abc", "reason": "x"}):
        response = client.post(f"/team/citizens/{citizen.id}/reassign", data=data)
        assert response.status_code == 422
    assert db.session.query(Assignment).filter_by(citizen_id=citizen.id).count() == 1


def test_substitute_gets_access_until_the_substitution_is_ended(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    client = login_as(boss)
    today = date.today()
    response = client.post(f"/team/citizens/{citizen.id}/substitutions",
                           data={"substitute_id": new.id, "starts_on": today.isoformat(),
                                 "ends_on": (today + timedelta(days=7)).isoformat(), "reason": "Ferie"})
    assert response.status_code == 303
    sub_client = login_as(new)
    assert sub_client.get(f"/citizens/{citizen.id}").status_code == 200
    sub = db.session.query(Substitution).one()
    assert client.post(f"/team/citizens/{citizen.id}/substitutions/{sub.id}/end").status_code == 303
    assert sub_client.get(f"/citizens/{citizen.id}").status_code == 404
    assert login_as(old).get(f"/citizens/{citizen.id}").status_code == 200
    actions = {e.action for e in db.session.query(AuditEvent).filter_by(citizen_id=citizen.id)}
    assert {"substitute", "substitute_end"} <= actions


def test_bad_substitution_input_is_422_and_saves_nothing(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    client = login_as(boss)
    today = date.today()
    bad = [
        {"substitute_id": new.id, "starts_on": today.isoformat(), "ends_on": (today - timedelta(days=2)).isoformat(),
         "reason": "Ferie"},
        {"substitute_id": new.id, "starts_on": "i morgen", "ends_on": today.isoformat(), "reason": "Ferie"},
        {"substitute_id": old.id, "starts_on": today.isoformat(), "ends_on": today.isoformat(), "reason": "Ferie"},
        {"substitute_id": new.id, "starts_on": today.isoformat(), "ends_on": today.isoformat(), "reason": ""},
    ]
    for data in bad:
        response = client.post(f"/team/citizens/{citizen.id}/substitutions", data=data)
        assert response.status_code == 422, data
        assert 'class="error"' in response.get_data(as_text=True)
    assert db.session.query(Substitution).count() == 0


def test_ending_a_course_closes_the_assignment_and_records_reason_and_housing(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    b.housing(citizen, old, "rental_public", b.days(50))
    b.housing(citizen, old, "sofa_surfing", b.days(30))
    make.substitution(citizen, new, boss)
    client = login_as(boss)
    form = client.get(f"/team/citizens/{citizen.id}/end").get_data(as_text=True)
    assert '<option selected value="sofa_surfing">' in form  # the current situation, pre-filled
    response = client.post(f"/team/citizens/{citizen.id}/end",
                           data={"ended_on": date.today().isoformat(), "reason": "transfer_cti",
                                 "housing_situation": "sofa_surfing", "confirm": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    ended = db.session.get(Citizen, citizen.id)
    assert ended.status == CourseStatus.ENDED and ended.end_reason == "transfer_cti"
    assert ended.end_housing_situation == "sofa_surfing" and ended.ended_on == date.today()
    assert db.session.query(Assignment).filter_by(citizen_id=citizen.id, ends_at=None).count() == 0
    assert login_as(old).get(f"/citizens/{citizen.id}").status_code == 404
    assert login_as(new).get(f"/citizens/{citizen.id}").status_code == 404
    assert db.session.query(AuditEvent).filter_by(action="end_course", citizen_id=citizen.id).count() == 1
    # Housed, then lost the home, course ended while homeless.
    from server.teams import outcomes
    rows = db.session.execute(outcomes.outcome_list(team.id, b.days(60), date.today())).all()
    assert [r.category for r in rows if r.id == citizen.id] == ["lost_not_rehoused"]


def test_ending_a_course_with_bad_input_is_422_and_changes_nothing(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    client = login_as(boss)
    future = (date.today() + timedelta(days=3)).isoformat()
    bad = [
        {"ended_on": future, "reason": "died", "housing_situation": "street", "confirm": "y"},
        {"ended_on": date.today().isoformat(), "reason": "bored", "housing_situation": "street", "confirm": "y"},
        {"ended_on": date.today().isoformat(), "reason": "died", "housing_situation": "castle", "confirm": "y"},
        {"ended_on": date.today().isoformat(), "reason": "died", "housing_situation": "street"},
        {"ended_on": (citizen.started_on - timedelta(days=1)).isoformat(), "reason": "died",
         "housing_situation": "street", "confirm": "y"},
    ]
    for data in bad:
        response = client.post(f"/team/citizens/{citizen.id}/end", data=data)
        assert response.status_code == 422, data
    db.session.expire_all()
    assert db.session.get(Citizen, citizen.id).status == CourseStatus.ACTIVE
    assert db.session.query(Assignment).filter_by(citizen_id=citizen.id, ends_at=None).count() == 1


def test_supervisor_of_another_team_gets_404_on_every_per_citizen_route(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    sub = make.substitution(citizen, new, boss)
    stranger = login_as(make.supervisor(team=make.team()))
    for method, url in [("get", f"/team/citizens/{citizen.id}/reassign"),
                        ("post", f"/team/citizens/{citizen.id}/reassign"),
                        ("post", f"/team/citizens/{citizen.id}/substitutions"),
                        ("post", f"/team/citizens/{citizen.id}/substitutions/{sub.id}/end"),
                        ("get", f"/team/citizens/{citizen.id}/end"),
                        ("post", f"/team/citizens/{citizen.id}/end"),
                        ("get", "/team/citizens/999999/reassign")]:
        assert getattr(stranger, method)(url).status_code == 404, url
    assert db.session.query(AuditEvent).filter_by(action="denied", citizen_id=citizen.id).count() >= 6


def test_workers_may_not_use_course_change_routes(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    client = login_as(old)
    assert client.get(f"/team/citizens/{citizen.id}/reassign").status_code == 403
    assert client.post(f"/team/citizens/{citizen.id}/end").status_code == 403


def test_a_substitution_of_another_citizen_cannot_be_ended_through_this_one(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    other = make.citizen(worker=old)
    sub = make.substitution(other, new, boss)
    response = login_as(boss).post(f"/team/citizens/{citizen.id}/substitutions/{sub.id}/end")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Substitution, sub.id).ends_at > utcnow()


def test_form_errors_are_in_danish_even_for_built_in_checks(make, login_as, team_setup):
    team, boss, old, new, citizen = team_setup
    stranger = make.worker(team=make.team())
    client = login_as(boss)
    html = client.post(f"/team/citizens/{citizen.id}/reassign",
                       data={"worker_id": stranger.id, "reason": "x"}).get_data(as_text=True)
    assert "Vælg en af mulighederne på listen." in html and "Not a valid" not in html
    html = client.post(f"/team/citizens/{citizen.id}/substitutions",
                       data={"substitute_id": "x", "starts_on": "2026-13-01", "reason": "x"}).get_data(as_text=True)
    assert "Skriv en gyldig dato." in html and "Not a valid" not in html and "could not coerce" not in html
