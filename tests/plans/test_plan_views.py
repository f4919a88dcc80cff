"""The worker sees the citizen's own wishes beside the plan."""
from server.db import utcnow
from server.extensions import db


def test_the_citizens_wishes_show_beside_the_plan(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    client = login_as(worker)
    assert "har ikke skrevet sine ønsker" in client.get(f"/citizens/{citizen.id}/plan").get_data(as_text=True)
    citizen.wishes, citizen.wishes_updated_at = "Jeg drømmer om en kolonihave", utcnow()
    db.session.commit()
    assert "Jeg drømmer om en kolonihave" in client.get(f"/citizens/{citizen.id}/plan").get_data(as_text=True)
