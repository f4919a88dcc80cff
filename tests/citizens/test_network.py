"""The citizen's network: people around the citizen and the citizen's wish for contact."""
from sqlalchemy import select

from server.citizens.models import NetworkPerson
from server.extensions import db


def test_a_worker_adds_and_updates_a_person_in_the_network(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    client = login_as(worker)
    response = client.post(f"/citizens/{citizen.id}/network", data={
        "name": "Lise", "relation": "søster", "phone": "22 33 44 55", "contact_wish": "wants_contact", "note": ""})
    assert response.status_code == 302
    person = db.session.scalar(select(NetworkPerson))
    assert (person.citizen_id, person.contact_wish, person.note) == (citizen.id, "wants_contact", None)

    response = client.post(f"/citizens/{citizen.id}/network/{person.id}", data={
        f"p{person.id}-name": "Lise", f"p{person.id}-relation": "søster",
        f"p{person.id}-contact_wish": "through_citizen", f"p{person.id}-note": "Kun om søndagen"})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(NetworkPerson, person.id)
    assert (person.contact_wish, person.note) == ("through_citizen", "Kun om søndagen")
    html = client.get(f"/citizens/{citizen.id}/network").get_data(as_text=True)
    assert "Lise" in html and "Kun gennem borgeren" in html
    assert "Lise" in client.get(f"/citizens/{citizen.id}").get_data(as_text=True)


def test_an_invalid_person_answers_422_and_saves_nothing(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    response = login_as(worker).post(f"/citizens/{citizen.id}/network", data={
        "name": "", "relation": "", "phone": "ring mig", "contact_wish": "maybe"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("name", "relation", "phone", "contact_wish"):
        assert f'id="{field}-error"' in html, field
    assert db.session.scalar(select(NetworkPerson)) is None


def test_an_invalid_update_shows_the_error_on_that_person(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    person = NetworkPerson(citizen_id=citizen.id, name="Ole", relation="ven")
    db.session.add(person)
    db.session.commit()
    response = login_as(worker).post(f"/citizens/{citizen.id}/network/{person.id}", data={
        f"p{person.id}-name": "", f"p{person.id}-relation": "ven", f"p{person.id}-contact_wish": "unsure"})
    assert response.status_code == 422
    assert f'id="p{person.id}-name-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(NetworkPerson, person.id).name == "Ole"
