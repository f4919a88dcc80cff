"""The real entry routes answer the outbox's replays: 201, 200 on replay, 409, 422, 401."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from server.contacts.models import Contact
from server.db import utcnow
from server.extensions import db

JSON = {"Accept": "application/json"}


@pytest.fixture
def worker_and_citizen(make):
    worker = make.worker(team=make.team())
    return worker, make.citizen(worker=worker)


def contact_body(client_id, **changes):
    body = {
        "client_id": str(client_id),
        "recorded_at": (utcnow() - timedelta(hours=20)).isoformat().replace("+00:00", "Z"),
        "type": "home_visit", "place": "home", "note": "Besøg i opgangen",
        "occurred_at": "2026-03-02T09:30",
    }
    return body | changes


def stored_contacts(client_id) -> list[Contact]:
    db.session.expire_all()
    return db.session.scalars(select(Contact).where(Contact.client_id == client_id)).all()


def test_contact_replayed_three_times_is_stored_once(login_as, worker_and_citizen):
    worker, citizen = worker_and_citizen
    client = login_as(worker)
    client_id = uuid.uuid4()
    url = f"/citizens/{citizen.id}/contacts"
    first = client.post(url, data=contact_body(client_id), headers=JSON)
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.get_json()["status"] == "stored"
    assert first.get_json()["redirect"] == f"/citizens/{citizen.id}"
    for _ in range(2):
        again = client.post(url, data=contact_body(client_id), headers=JSON)
        assert again.status_code == 200 and again.get_json()["status"] == "duplicate"
    assert len(stored_contacts(client_id)) == 1


def test_stored_contact_keeps_the_phones_recorded_time_apart_from_receipt(login_as, worker_and_citizen):
    worker, citizen = worker_and_citizen
    client_id = uuid.uuid4()
    recorded = datetime(2026, 3, 2, 8, 31, 12, tzinfo=UTC)
    login_as(worker).post(f"/citizens/{citizen.id}/contacts", headers=JSON,
                          data=contact_body(client_id, recorded_at="2026-03-02T08:31:12.000Z"))
    (contact,) = stored_contacts(client_id)
    assert contact.recorded_at == recorded
    assert utcnow() - contact.received_at < timedelta(minutes=1)


def test_same_uuid_with_other_content_answers_409_json(login_as, worker_and_citizen):
    worker, citizen = worker_and_citizen
    client = login_as(worker)
    client_id = uuid.uuid4()
    url = f"/citizens/{citizen.id}/contacts"
    client.post(url, data=contact_body(client_id), headers=JSON)
    conflict = client.post(url, data=contact_body(client_id, note="Et andet indhold"), headers=JSON)
    assert conflict.status_code == 409
    assert conflict.is_json and conflict.get_json()["error"]
    assert [c.note for c in stored_contacts(client_id)] == ["Besøg i opgangen"]


def test_invalid_entry_answers_422_with_field_errors_and_stores_nothing(login_as, worker_and_citizen):
    worker, citizen = worker_and_citizen
    client_id = uuid.uuid4()
    response = login_as(worker).post(f"/citizens/{citizen.id}/contacts", headers=JSON,
                                     data=contact_body(client_id, note="x" * 6000))
    assert response.status_code == 422
    body = response.get_json()
    assert body["status"] == "invalid" and "note" in body["errors"]
    assert stored_contacts(client_id) == []


def test_replay_after_the_session_ended_answers_401_json_and_stores_nothing(client, worker_and_citizen):
    _, citizen = worker_and_citizen
    client_id = uuid.uuid4()
    response = client.post(f"/citizens/{citizen.id}/contacts", data=contact_body(client_id), headers=JSON)
    assert response.status_code == 401
    assert response.is_json
    assert stored_contacts(client_id) == []


def test_tried_not_reached_replayed_is_stored_once(login_as, worker_and_citizen):
    worker, citizen = worker_and_citizen
    client = login_as(worker)
    client_id = uuid.uuid4()
    body = {"client_id": str(client_id), "recorded_at": utcnow().isoformat(), "place": "street"}
    assert client.post(f"/citizens/{citizen.id}/attempts", data=body, headers=JSON).status_code == 201
    assert client.post(f"/citizens/{citizen.id}/attempts", data=body, headers=JSON).status_code == 200
    (attempt,) = stored_contacts(client_id)
    assert attempt.reached is False
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 1


def test_entry_for_a_citizen_outside_the_caseload_is_404_not_stored(login_as, make, worker_and_citizen):
    _, citizen = worker_and_citizen
    stranger = make.worker(team=make.team())
    client_id = uuid.uuid4()
    response = login_as(stranger).post(f"/citizens/{citizen.id}/contacts", data=contact_body(client_id), headers=JSON)
    assert response.status_code == 404
    assert stored_contacts(client_id) == []
