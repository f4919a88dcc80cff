"""Logging a contact: stored once per client UUID, validated on the server, nothing half-saved."""
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from server.contacts.models import Contact, contact_dimensions
from server.db import utcnow
from server.extensions import db

JSON = {"Accept": "application/json"}
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def local(dt):
    return dt.astimezone(COPENHAGEN).strftime("%Y-%m-%dT%H:%M")


def contact_data(make, **overrides):
    data = {
        "client_id": str(uuid.uuid4()),
        "recorded_at": utcnow().isoformat(),
        "type": "home_visit",
        "place": "home",
        "dimensions": [str(make.dimension("housing").id), str(make.dimension("economy").id)],
        "note": "Talte om huslejen",
        "occurred_at": local(utcnow() - timedelta(hours=1)),
        "duration_minutes": "30",
    }
    data.update(overrides)
    return data


def count(model=Contact):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def setup(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    return worker, citizen, login_as(worker)


def test_the_log_contact_screen_preselects_home_visit_at_home(make, login_as):
    worker, citizen, client = setup(make, login_as)
    html = client.get(f"/citizens/{citizen.id}/contacts/new").get_data(as_text=True)
    assert 'data-outbox="contact"' in html
    assert "data-client-id" in html and "data-recorded-at" in html
    assert '<input checked id="type-0" name="type" required type="radio" value="home_visit">' in html
    assert '<input checked id="place-0" name="place" required type="radio" value="home">' in html
    assert "Misbrug" in html  # the 8 dimensions are tap targets


def test_a_logged_contact_is_stored_with_its_dimensions_and_times(make, login_as):
    worker, citizen, client = setup(make, login_as)
    occurred = (utcnow() - timedelta(hours=3)).replace(second=0, microsecond=0)
    recorded = utcnow() - timedelta(minutes=5)
    data = contact_data(make, occurred_at=local(occurred), recorded_at=recorded.isoformat())
    response = client.post(f"/citizens/{citizen.id}/contacts", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/citizens/{citizen.id}")
    contact = db.session.scalar(select(Contact))
    assert contact.occurred_at == occurred
    assert abs(contact.recorded_at - recorded) < timedelta(seconds=1)
    assert contact.received_at > recorded
    assert contact.reached is True and contact.worker_id == worker.id and contact.duration_minutes == 30
    assert {d.key for d in contact.dimensions} == {"housing", "economy"}


def test_the_same_uuid_twice_stores_one_contact_and_answers_200_the_second_time(make, login_as):
    worker, citizen, client = setup(make, login_as)
    data = contact_data(make)
    first = client.post(f"/citizens/{citizen.id}/contacts", data=data, headers=JSON)
    second = client.post(f"/citizens/{citizen.id}/contacts", data=data, headers=JSON)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json["id"] == second.json["id"]
    assert count() == 1
    assert count(contact_dimensions) == 2


def test_the_same_uuid_with_other_content_is_a_conflict(make, login_as):
    worker, citizen, client = setup(make, login_as)
    data = contact_data(make)
    client.post(f"/citizens/{citizen.id}/contacts", data=data, headers=JSON)
    response = client.post(f"/citizens/{citizen.id}/contacts", data={**data, "note": "Noget andet"}, headers=JSON)
    assert response.status_code == 409
    assert count() == 1
    assert db.session.scalar(select(Contact.note)) == "Talte om huslejen"


def test_an_invalid_contact_answers_422_with_field_errors_and_saves_nothing(make, login_as):
    worker, citizen, client = setup(make, login_as)
    data = contact_data(make, type="teleportation", place="", occurred_at="i går",
                        note="x" * 6000, dimensions=["999999"])
    response = client.post(f"/citizens/{citizen.id}/contacts", data=data, headers=JSON)
    assert response.status_code == 422
    errors = response.json["errors"]
    assert {"type", "place", "occurred_at", "note", "dimensions"} <= set(errors)
    assert count() == 0


def test_an_invalid_contact_shows_the_form_again_with_messages_next_to_fields(make, login_as):
    worker, citizen, client = setup(make, login_as)
    future = local(utcnow() + timedelta(days=2))
    response = client.post(f"/citizens/{citizen.id}/contacts", data=contact_data(make, occurred_at=future))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="occurred_at-error"' in html and "fremtiden" in html
    assert count() == 0


def test_a_phone_call_is_stored_without_a_physical_place(make, login_as):
    worker, citizen, client = setup(make, login_as)
    client.post(f"/citizens/{citizen.id}/contacts", data=contact_data(make, type="phone", place="home"))
    assert db.session.scalar(select(Contact.place)) == "phone"


def test_a_contact_without_script_gets_a_server_made_uuid(make, login_as):
    worker, citizen, client = setup(make, login_as)
    response = client.post(f"/citizens/{citizen.id}/contacts",
                           data=contact_data(make, client_id="", recorded_at=""))
    assert response.status_code == 302
    assert count() == 1


def test_tried_not_reached_is_recorded_but_not_as_contact(make, login_as):
    worker, citizen, client = setup(make, login_as)
    data = {"client_id": str(uuid.uuid4()), "recorded_at": utcnow().isoformat(), "place": "street"}
    first = client.post(f"/citizens/{citizen.id}/attempts", data=data, headers=JSON)
    second = client.post(f"/citizens/{citizen.id}/attempts", data=data, headers=JSON)
    assert (first.status_code, second.status_code) == (201, 200)
    contact = db.session.scalar(select(Contact))
    assert count() == 1
    assert (contact.reached, contact.type, contact.place) == (False, "outreach", "street")


def test_tried_not_reached_with_one_tap_needs_no_fields(make, login_as):
    worker, citizen, client = setup(make, login_as)
    response = client.post(f"/citizens/{citizen.id}/attempts", data={})
    assert response.status_code == 302
    assert db.session.scalar(select(Contact.place)) == "other"


def test_an_invalid_attempt_answers_422_and_saves_nothing(make, login_as):
    worker, citizen, client = setup(make, login_as)
    response = client.post(f"/citizens/{citizen.id}/attempts", data={"place": "moon", "client_id": "nope"},
                           headers=JSON)
    assert response.status_code == 422
    assert {"place", "client_id"} <= set(response.json["errors"])
    assert count() == 0


def test_a_supervisor_cannot_log_a_contact(make, login_as):
    team = make.team()
    citizen = make.citizen(worker=make.worker(team=team))
    client = login_as(make.supervisor(team=team))
    assert client.post(f"/citizens/{citizen.id}/contacts", data=contact_data(make)).status_code == 403
    assert count() == 0


def test_the_teams_own_dimensions_are_tap_targets_but_not_other_teams(make, login_as):
    from server.citizens.models import Dimension

    worker, citizen, client = setup(make, login_as)
    ours = Dimension(name="Hund og dyr", team_id=citizen.team_id, position=200)
    theirs = Dimension(name="Andet teams emne", team_id=make.team().id, position=201)
    db.session.add_all([ours, theirs])
    db.session.commit()
    html = client.get(f"/citizens/{citizen.id}/contacts/new").get_data(as_text=True)
    assert "Hund og dyr" in html and "Andet teams emne" not in html
    refused = client.post(f"/citizens/{citizen.id}/contacts", headers=JSON,
                          data=contact_data(make, dimensions=[str(theirs.id)]))
    assert refused.status_code == 422 and "dimensions" in refused.json["errors"]
    stored = client.post(f"/citizens/{citizen.id}/contacts", headers=JSON,
                         data=contact_data(make, dimensions=[str(ours.id)]))
    assert stored.status_code == 201
    assert [d.name for d in db.session.get(Contact, stored.json["id"]).dimensions] == ["Hund og dyr"]


def test_odd_times_and_fields_give_422_never_500(make, login_as):
    worker, citizen, client = setup(make, login_as)
    for overrides in ({"occurred_at": "0001-01-01T00:00"}, {"occurred_at": "2026-13-40T25:61"},
                      {"duration_minutes": "abc"}, {"duration_minutes": "45"}, {"dimensions": ["x"]},
                      {"type": ""}, {"recorded_at": "igår"}):
        response = client.post(f"/citizens/{citizen.id}/contacts", data=contact_data(make, **overrides),
                               headers=JSON)
        assert response.status_code == 422, overrides
    assert count() == 0


def test_json_bodies_to_form_routes_are_refused_never_500(make, login_as):
    worker, citizen, client = setup(make, login_as)
    bodies = [
        {"type": {"a": 1}, "place": ["home", None], "note": 5, "occurred_at": None, "dimensions": [[1]]},
        {"client_id": 7, "recorded_at": [], "duration_minutes": {"x": 1}},
        [1, 2, 3],
        "just text",
    ]
    for body in bodies:
        response = client.post(f"/citizens/{citizen.id}/contacts", json=body, headers=JSON)
        assert response.status_code in (400, 422), (body, response.status_code)
        assert client.post(f"/citizens/{citizen.id}/attempts", json=body, headers=JSON).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0
    for body in bodies[:2]:
        assert client.post("/citizens/new", json=body).status_code == 400
        assert client.post(f"/citizens/{citizen.id}/network", json=body).status_code == 400


def test_a_blank_place_on_an_attempt_is_stored_as_other_not_a_crash(make, login_as):
    worker, citizen, client = setup(make, login_as)
    response = client.post(f"/citizens/{citizen.id}/attempts", data={"place": " "}, headers=JSON)
    assert response.status_code == 201
    assert db.session.scalar(select(Contact.place)) == "other"
