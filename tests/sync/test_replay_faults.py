"""Replays under faults (SECURITY.md #14): answers lost, the database gone mid-request, entries
sent several times in any order — every entry ends up stored exactly once, none lost."""
import uuid
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from server.contacts.models import Contact
from server.db import utcnow
from server.extensions import db

JSON = {"Accept": "application/json"}
ENTRIES = 12


def body(client_id, n):
    return {"client_id": str(client_id), "recorded_at": utcnow().isoformat(), "type": "home_visit",
            "place": "home", "note": f"Besøg nummer {n}", "occurred_at": "2026-03-02T09:30"}


def database_gone(*args, **kwargs):
    raise OperationalError("INSERT", {}, Exception("database went away"))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.tuples(st.integers(0, ENTRIES - 1), st.sampled_from(["answered", "lost", "outage"])),
                     min_size=ENTRIES, max_size=4 * ENTRIES))
def test_entries_replayed_through_lost_answers_and_outages_are_stored_exactly_once(plan, make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    client = login_as(worker)
    url = f"/citizens/{citizen.id}/contacts"
    ids = [uuid.uuid4() for _ in range(ENTRIES)]
    acknowledged = set()  # what the phone would have deleted from its outbox

    for index, fault in plan:
        if index in acknowledged:
            continue  # the phone no longer has it
        if fault == "outage":
            with mock.patch("server.contacts.operations.insert_once", side_effect=database_gone):
                response = client.post(url, data=body(ids[index], index), headers=JSON)
            assert response.status_code == 503  # never a false "stored"
            continue
        response = client.post(url, data=body(ids[index], index), headers=JSON)
        assert response.status_code in (200, 201), response.get_data(as_text=True)
        if fault == "answered":
            acknowledged.add(index)

    # The network is back: the outbox sends whatever it still holds until each is acknowledged.
    for index in set(range(ENTRIES)) - acknowledged:
        response = client.post(url, data=body(ids[index], index), headers=JSON)
        assert response.status_code in (200, 201)

    db.session.expire_all()
    rows = db.session.execute(select(Contact.client_id, func.count()).where(Contact.citizen_id == citizen.id)
                              .group_by(Contact.client_id)).all()
    assert sorted(str(client_id) for client_id, _ in rows) == sorted(str(i) for i in ids)  # 0 lost
    assert all(n == 1 for _, n in rows)  # 0 duplicates
