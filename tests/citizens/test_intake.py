"""Intake of a new citizen: validation, CPR masking, and the caseload cap with its override."""
from sqlalchemy import func, select

from server.audit.models import AuditEvent
from server.citizens.models import Assignment, Citizen
from server.extensions import db


def intake(**overrides):
    data = {"first_name": "Jens", "last_name": "Hansen", "preferred_name": "Jensemand", "birth_year": "1975",
            "cpr": "0101759876", "phone": "12 34 56 78", "support_method": "icm", "started_on": "2026-11-01"}
    data.update(overrides)
    return data


def citizens():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Citizen))


def test_a_worker_creates_a_citizen_assigned_to_themself(make, login_as):
    worker = make.worker(team=make.team())
    response = login_as(worker).post("/citizens/new", data=intake())
    assert response.status_code == 302
    citizen = db.session.scalar(select(Citizen))
    assert (citizen.team_id, citizen.cpr, citizen.support_method) == (worker.team_id, "010175-9876", "icm")
    assignment = db.session.scalar(select(Assignment))
    assert (assignment.citizen_id, assignment.worker_id) == (citizen.id, worker.id)


def test_the_cpr_number_is_masked_on_the_citizen_page(make, login_as):
    worker = make.worker(team=make.team())
    client = login_as(worker)
    location = client.post("/citizens/new", data=intake()).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "010175-****" in html and "9876" not in html


def test_bad_intake_answers_422_with_messages_next_to_the_fields(make, login_as):
    worker = make.worker(team=make.team())
    response = login_as(worker).post("/citizens/new", data=intake(
        first_name="", cpr="320175-1234", birth_year="1850", started_on="i morgen", support_method="x"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("first_name", "cpr", "birth_year", "started_on", "support_method"):
        assert f'id="{field}-error"' in html, field
    assert citizens() == 0


def test_a_malformed_cpr_is_refused(make, login_as):
    worker = make.worker(team=make.team())
    response = login_as(worker).post("/citizens/new", data=intake(cpr="12345"))
    assert response.status_code == 422 and "DDMMÅÅ-XXXX" in response.get_data(as_text=True)


def test_a_ninth_citizen_is_refused_with_a_clear_message_and_nothing_saved(make, login_as):
    worker = make.worker(team=make.team())
    for _ in range(8):
        make.citizen(worker=worker)
    response = login_as(worker).post("/citizens/new", data=intake())
    assert response.status_code == 422
    assert "allerede 8 borgere" in response.get_data(as_text=True)
    assert citizens() == 8


def test_a_worker_cannot_override_the_cap_even_with_a_reason(make, login_as):
    worker = make.worker(team=make.team())
    for _ in range(8):
        make.citizen(worker=worker)
    response = login_as(worker).post("/citizens/new", data=intake(override_reason="Jeg kan godt"))
    assert response.status_code == 422
    assert citizens() == 8


def test_a_supervisor_can_override_the_cap_with_a_reason_and_it_is_audited(make, login_as):
    team = make.team()
    worker = make.worker(team=team)
    for _ in range(8):
        make.citizen(worker=worker)
    client = login_as(make.supervisor(team=team))
    refused = client.post("/citizens/new", data=intake(worker_id=str(worker.id)))
    assert refused.status_code == 422 and "allerede 8 borgere" in refused.get_data(as_text=True)
    response = client.post("/citizens/new", data=intake(worker_id=str(worker.id),
                                                        override_reason="To borgere afsluttes i næste uge"))
    assert response.status_code == 302
    citizen = db.session.scalar(select(Citizen).where(Citizen.first_name == "Jens"))
    assignment = db.session.scalar(select(Assignment).where(Assignment.citizen_id == citizen.id))
    assert assignment.worker_id == worker.id
    assert assignment.cap_override_reason == "To borgere afsluttes i næste uge"
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assign",
                                                       AuditEvent.citizen_id == citizen.id))
    assert "cap-override" in audit.subject


def test_a_supervisor_cannot_assign_to_a_worker_of_another_team(make, login_as):
    team = make.team()
    stranger = make.worker(team=make.team())
    response = login_as(make.supervisor(team=team)).post("/citizens/new", data=intake(worker_id=str(stranger.id)))
    assert response.status_code == 422
    assert citizens() == 0


def test_the_intake_form_shows_the_worker_choice_only_to_a_supervisor(make, login_as):
    team = make.team()
    make.worker(team=team, name="Anna Andersen")
    assert "Anna Andersen" in login_as(make.supervisor(team=team)).get("/citizens/new").get_data(as_text=True)
    assert 'name="worker_id"' not in login_as(make.worker(team=team)).get("/citizens/new").get_data(as_text=True)


def test_the_latest_birth_year_is_this_year_read_when_the_form_is_checked(make, login_as, monkeypatch):
    """A process started in December still accepts a baby born in January of the new year."""
    from datetime import date

    import server.citizens.forms as forms

    worker = make.worker(team=make.team())
    client = login_as(worker)
    # Copenhagen's today in a process that started the year before.
    monkeypatch.setattr(forms, "local_today", lambda: date(2032, 1, 1))
    accepted = client.post("/citizens/new", data=intake(birth_year="2032"))
    refused = client.post("/citizens/new", data=intake(birth_year="2033"))
    assert accepted.status_code in (302, 303), accepted.status_code
    assert refused.status_code == 422 and "1900" in refused.get_data(as_text=True) \
        and "2032" in refused.get_data(as_text=True)
