"""The art. 15 copy: every record of the citizen, none of a look-alike's, as JSON and as a page."""
import json

from sqlalchemy import func, select

from server.appointments.models import Appointment
from server.audit.models import AuditEvent
from server.citizens.models import Assessment, NetworkPerson
from server.contacts.models import Contact
from server.extensions import db
from server.housing.models import HousingEvent
from server.offers.models import CitizenOffer
from server.plans.models import Plan
from server.portal.export import export_citizen
from server.reminders.models import Reminder
from tests.portal import builders


def count(model, citizen):
    return db.session.scalar(select(func.count()).select_from(model).where(model.citizen_id == citizen.id))


def test_export_holds_all_records_of_the_citizen_and_none_of_a_look_alike(make, login_as):
    worker = make.worker(team=make.team())
    a = make.citizen(worker=worker, with_login=True, first_name="Ole", last_name="Olsen", cpr="010170-1234")
    b = make.citizen(worker=worker, with_login=True, first_name="Ole", last_name="Olsen", cpr="020280-5678")
    builders.full_case(a, worker, "A")
    builders.full_case(b, worker, "B")
    builders.contact(b, worker, note="ekstra for B")
    client = login_as(a.user)
    client.get("/me/plan")
    login_as(worker).get(f"/citizens/{b.id}")

    response = client.get("/me/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["citizen"]["id"] == a.id and data["citizen"]["cpr"] == "010170-1234"
    expected = {"contacts": Contact, "appointments": Appointment, "reminders": Reminder, "plans": Plan,
                "assessments": Assessment, "housing_events": HousingEvent, "offers": CitizenOffer,
                "network": NetworkPerson}
    for key, model in expected.items():
        assert len(data[key]) == count(model, a), key
    assert [p["version"] for p in data["plans"]] == [1, 2]
    assert data["housing_plan"] is not None and len(data["team_meeting_items"]) == 1
    assert len(data["assignments"]) == 1 and data["assignments"][0]["worker"] == worker.name
    # The access log: every stored row for A plus this export itself; no IPs, no staff ids.
    db.session.expire_all()
    assert len(data["access_log"]) == count(AuditEvent, a)
    assert data["access_log"][0]["action"] == "export" and data["access_log"][0]["role"] == "self"
    assert all(set(row) == {"at", "action", "role", "subject", "outcome"} for row in data["access_log"])
    text = json.dumps(data, ensure_ascii=False)
    assert "020280-5678" not in text and "ekstra for B" not in text and "-B-" not in text


def test_export_dates_are_iso_and_it_is_plain_json_data(make, ctx):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, with_login=True)
    builders.full_case(citizen, worker, "X")
    data = export_citizen(citizen)
    json.dumps(data)  # plain data only
    from datetime import date, datetime

    assert datetime.fromisoformat(data["appointments"][0]["starts_at"])
    assert date.fromisoformat(data["citizen"]["started_on"])


def test_the_printable_export_page_shows_the_records_and_can_be_printed(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker, with_login=True)
    builders.full_case(citizen, worker, "P")
    page = login_as(citizen.user).get("/me/export").get_data(as_text=True)
    for heading in ("Om dig", "Dine planer (alle udgaver)", "Kontakter med dig", "Hvem har set dine oplysninger"):
        assert heading in page
    assert "data-print" in page and "/me/export.json" in page
    assert "interne noter er ikke med" in page  # the citizen is told what was withheld and why
