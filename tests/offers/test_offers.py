"""Offers: the administrator's catalogue, and each citizen's way into an offer."""
from sqlalchemy import func, select

from server.extensions import db
from server.offers.models import CitizenOffer, Offer, OfferStatus, Provider


def offer(name="Værestedet Havnely", provider=Provider.NGO, active=True):
    from tests.factories import save

    return save(Offer(name=name, provider=provider, active=active, address="Havnegade 12"))


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_admin_creates_and_deactivates_an_offer_instead_of_deleting_it(make, login_as):
    admin = login_as(make.admin())

    created = admin.post("/offers", data={"name": "Gadejuristen", "provider": "ngo", "contact": "Tlf. 1234"})
    row = db.session.scalar(select(Offer))
    updated = admin.post(f"/offers/{row.id}", data={"name": "Gadejuristen Søby", "provider": "ngo"})

    assert created.status_code == 302 and updated.status_code == 302
    db.session.refresh(row)
    assert row.name == "Gadejuristen Søby" and row.active is False and count(Offer) == 1
    assert "Deaktiveret" in admin.get("/offers").get_data(as_text=True)


def test_case_staff_read_the_catalogue_of_active_offers_only(make, login_as):
    offer("Aktivt sted")
    offer("Lukket sted", active=False)
    team = make.team()
    for user in (make.worker(team=team), make.supervisor(team=team)):
        client = login_as(user)
        page = client.get("/offers").get_data(as_text=True)
        assert "Aktivt sted" in page and "Lukket sted" not in page and "Opret tilbud" not in page
        assert client.post("/offers", data={"name": "x", "provider": "ngo"}).status_code == 403
    assert count(Offer) == 2


def test_bad_offer_answers_422_with_messages_and_saves_nothing(make, login_as):
    response = login_as(make.admin()).post("/offers", data={"name": "", "provider": "castle"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="name-error">Skriv tilbuddets navn.' in page and 'id="provider-error"' in page
    assert count(Offer) == 0


def test_worker_links_an_offer_and_moves_its_status_either_way(make, login_as):
    team = make.team()
    worker = make.worker(team=team)
    citizen = make.citizen(worker=worker)
    place = offer()
    client = login_as(worker)

    assert client.post(f"/citizens/{citizen.id}/offers", data={"offer_id": place.id}).status_code == 302
    row = db.session.scalar(select(CitizenOffer))
    assert row.status == OfferStatus.IDENTIFIED
    for status in ("contacted", "attending", "contacted", "ended"):
        response = client.post(f"/citizens/{citizen.id}/offers/{row.id}",
                               data={f"o{row.id}-status": status, f"o{row.id}-note": f"nu {status}"})
        assert response.status_code == 302
        db.session.refresh(row)
        assert row.status == status and row.note == f"nu {status}"
    page = client.get(f"/citizens/{citizen.id}/offers").get_data(as_text=True)
    assert 'data-offer-status>Afsluttet' in page
    steps = page[page.index('class="status-steps"'):]
    assert steps.index("Fundet") < steps.index("Kontaktet") < steps.index("Deltager") < steps.index("Afsluttet")


def test_an_offer_already_linked_or_inactive_cannot_be_linked(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    place, closed = offer(), offer("Lukket", active=False)
    client = login_as(worker)
    client.post(f"/citizens/{citizen.id}/offers", data={"offer_id": place.id})

    again = client.post(f"/citizens/{citizen.id}/offers", data={"offer_id": place.id})
    inactive = client.post(f"/citizens/{citizen.id}/offers", data={"offer_id": closed.id})
    blank = client.post(f"/citizens/{citizen.id}/offers", data={"offer_id": ""})

    assert (again.status_code, inactive.status_code, blank.status_code) == (422, 422, 422)
    assert "Vælg et tilbud." in blank.get_data(as_text=True)
    assert count(CitizenOffer) == 1


def test_bad_status_answers_422_and_changes_nothing(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    client = login_as(worker)
    client.post(f"/citizens/{citizen.id}/offers", data={"offer_id": offer().id})
    row = db.session.scalar(select(CitizenOffer))

    response = client.post(f"/citizens/{citizen.id}/offers/{row.id}", data={f"o{row.id}-status": "finished"})

    assert response.status_code == 422
    assert f'id="o{row.id}-status-error"' in response.get_data(as_text=True)
    db.session.refresh(row)
    assert row.status == OfferStatus.IDENTIFIED


def test_a_status_change_through_another_citizens_url_is_404(make, login_as):
    worker = make.worker(team=make.team())
    mine, also_mine = make.citizen(worker=worker), make.citizen(worker=worker)
    client = login_as(worker)
    client.post(f"/citizens/{mine.id}/offers", data={"offer_id": offer().id})
    row = db.session.scalar(select(CitizenOffer))
    response = client.post(f"/citizens/{also_mine.id}/offers/{row.id}", data={f"o{row.id}-status": "ended"})
    assert response.status_code == 404
    db.session.refresh(row)
    assert row.status == OfferStatus.IDENTIFIED
