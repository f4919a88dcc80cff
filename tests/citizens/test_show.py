"""The citizen page: summary, quick actions and links to the sub-pages."""
from datetime import timedelta

from server.citizens.models import NetworkPerson
from server.db import utcnow
from server.extensions import db
from tests.citizens import builders


def test_the_citizen_page_shows_the_summary(make, login_as):
    worker = make.worker(team=make.team(), name="Mette Madsen")
    citizen = make.citizen(worker=worker, first_name="Karl", cpr="121285-4321")
    builders.housing(citizen, worker, "sofa_surfing")
    builders.plan(citizen, worker, goals=[("housing", "Et sted med min hund")], version=1)
    builders.plan(citizen, worker, goals=[("housing", "Egen lejlighed med min hund"),
                                          ("economy", "Styr på gælden")], version=2)
    builders.appointment(citizen, worker, starts_at=utcnow() + timedelta(days=1), title="Boligselskabet",
                         accompanied=True)
    builders.contact(citizen, worker, note="Vi drak kaffe", occurred_at=utcnow() - timedelta(days=1))
    builders.contact(citizen, worker, reached=False, occurred_at=utcnow() - timedelta(hours=2))
    db.session.add(NetworkPerson(citizen_id=citizen.id, name="Birthe", relation="mor", contact_wish="no_contact"))
    db.session.commit()
    html = login_as(worker).get(f"/citizens/{citizen.id}").get_data(as_text=True)
    assert "Sofasurfer" in html
    assert "Egen lejlighed med min hund" in html and "Styr på gælden" in html and "Økonomi" in html
    assert "Et sted med min hund" not in html  # only the latest version
    assert "Boligselskabet" in html and "Ledsages" in html
    assert "Vi drak kaffe" in html and "Ikke truffet" in html and "Mette Madsen" in html
    assert "Birthe" in html and "Ønsker ikke kontakt" in html
    assert "121285-****" in html and "4321" not in html


def test_the_citizen_page_has_the_quick_actions_and_links(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    html = login_as(worker).get(f"/citizens/{citizen.id}").get_data(as_text=True)
    cid = citizen.id
    assert f'href="/citizens/{cid}/contacts/new"' in html
    assert "reminders/new" in html and f"citizen_id={cid}" in html
    assert f'href="/citizens/{cid}/appointments/new?accompanied=1"' in html
    assert f'action="/citizens/{cid}/attempts"' in html and 'data-outbox="attempt"' in html
    for sub in ("plan", "assessment", "housing", "offers", "network"):
        assert f'href="/citizens/{cid}/{sub}"' in html
    assert f'hx-post="/citizens/{cid}/enrolment-code"' in html and 'hx-target="#enrolment-slot"' in html


def test_the_citizen_page_shows_no_worker_only_actions_to_a_supervisor(make, login_as):
    team = make.team()
    citizen = make.citizen(worker=make.worker(team=team))
    html = login_as(make.supervisor(team=team)).get(f"/citizens/{citizen.id}").get_data(as_text=True)
    assert "/contacts/new" not in html and "/attempts" not in html


def test_opening_a_citizen_page_is_audited_as_a_read(make, login_as):
    from sqlalchemy import select

    from server.audit.models import AuditEvent

    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    login_as(worker).get(f"/citizens/{citizen.id}")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.citizen_id == citizen.id)).all()
    assert [(e.action, e.subject) for e in events] == [("read", "citizens.show")]


def test_the_enrolment_code_shows_in_place_for_htmx(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    response = login_as(worker).post(f"/citizens/{citizen.id}/enrolment-code", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).lstrip().startswith('<div id="enrolment-code"')
