"""Per-citizen access on every route of plans, housing and offers: outside the caseload is 404."""
import pytest
from sqlalchemy import func, select

from server.audit.models import AuditEvent
from server.extensions import db
from server.offers.models import CitizenOffer, Offer, Provider
from server.plans.models import Goal, Plan

BLUEPRINTS = ("plans", "housing", "offers")


def build_case(make):
    """A citizen with a plan, an offer link and an assessment dimension to aim at."""
    team = make.team()
    owner = make.worker(team=team)
    citizen = make.citizen(worker=owner)
    housing = make.dimension("housing")
    plan = Plan(citizen_id=citizen.id, version=1, author_id=owner.id,
                goals=[Goal(dimension_id=housing.id, citizen_words="Hemmeligt mål KANARIE")])
    offer = make.save(Offer(name="Sted", provider=Provider.NGO))
    link = make.save(CitizenOffer(citizen_id=citizen.id, offer_id=offer.id))
    make.save(plan)
    return team, owner, citizen, housing, link


def routes(citizen, housing, link):
    c = citizen.id
    return [
        ("GET", "plans.assessment", f"/citizens/{c}/assessment", None),
        ("POST", "plans.assess", f"/citizens/{c}/assessment/{housing.id}",
         {f"d{housing.id}-citizen_words": "x", f"d{housing.id}-assessed_on": "2025-01-01"}),
        ("POST", "plans.dimension_create", "/dimensions", {"name": "Nyt område", "citizen_id": c}),
        ("GET", "plans.show", f"/citizens/{c}/plan", None),
        ("GET", "plans.edit", f"/citizens/{c}/plan/edit", None),
        ("POST", "plans.update", f"/citizens/{c}/plan/edit",
         {"base_version": "1", "goals-0-dimension_id": housing.id, "goals-0-citizen_words": "Nyt"}),
        ("GET", "plans.versions", f"/citizens/{c}/plan/versions", None),
        ("GET", "plans.version", f"/citizens/{c}/plan/versions/1", None),
        ("GET", "housing.show", f"/citizens/{c}/housing", None),
        ("POST", "housing.event_create", f"/citizens/{c}/housing/events",
         {"situation": "street", "starts_on": "2025-01-01"}),
        ("POST", "housing.plan_update", f"/citizens/{c}/housing/plan", {"interim_stay": "Ly"}),
        ("GET", "offers.citizen", f"/citizens/{c}/offers", None),
        ("POST", "offers.link", f"/citizens/{c}/offers", {"offer_id": link.offer_id}),
        ("POST", "offers.status", f"/citizens/{c}/offers/{link.id}", {f"o{link.id}-status": "ended"}),
    ]


def per_citizen_endpoints(app):
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in BLUEPRINTS and "citizen_id" in rule.arguments}


def row_counts():
    from server.citizens.models import Assessment, Dimension
    from server.housing.models import HousingEvent, HousingPlan

    return [db.session.scalar(select(func.count()).select_from(m))
            for m in (Plan, Assessment, Dimension, HousingEvent, HousingPlan, CitizenOffer)]


def test_every_per_citizen_route_is_in_the_matrix(app, make):
    team, owner, citizen, housing, link = build_case(make)
    tested = {endpoint for _, endpoint, _, _ in routes(citizen, housing, link)}
    assert per_citizen_endpoints(app) <= tested


@pytest.mark.parametrize("relation", ["same_team", "other_team"])
def test_a_worker_outside_the_caseload_gets_404_on_every_route_and_changes_nothing(make, login_as, relation):
    team, owner, citizen, housing, link = build_case(make)
    stranger = make.worker(team=team if relation == "same_team" else make.team())
    client = login_as(stranger)
    before = row_counts()

    for method, endpoint, url, data in routes(citizen, housing, link):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 404, endpoint
        assert "KANARIE" not in response.get_data(as_text=True)
    assert row_counts() == before
    denied = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "denied", AuditEvent.citizen_id == citizen.id))
    assert denied == len(routes(citizen, housing, link))


def test_the_own_worker_and_a_substitute_reach_every_route(make, login_as):
    team, owner, citizen, housing, link = build_case(make)
    substitute = make.worker(team=team)
    make.substitution(citizen, substitute, granted_by=make.supervisor(team=team))
    for user in (owner, substitute):
        client = login_as(user)
        for method, endpoint, url, data in routes(citizen, housing, link):
            response = client.open(url, method=method, data=data)
            # 409/422 are fine here: the second user repeats what the first one saved.
            assert response.status_code in (200, 302, 409, 422), (user.username, endpoint, response.status_code)


def test_an_unknown_citizen_or_object_is_404(make, login_as):
    team, owner, citizen, housing, link = build_case(make)
    client = login_as(owner)
    assert client.get("/citizens/99999/plan").status_code == 404
    assert client.get(f"/citizens/{citizen.id}/plan/versions/2").status_code == 404
    assert client.post(f"/citizens/{citizen.id}/offers/99999", data={}).status_code == 404
    assert client.post(f"/citizens/{citizen.id}/assessment/99999", data={}).status_code == 404


def test_the_administrator_sees_no_case_data(make, login_as):
    team, owner, citizen, housing, link = build_case(make)
    client = login_as(make.admin())
    for method, endpoint, url, data in routes(citizen, housing, link):
        assert client.open(url, method=method, data=data).status_code in (403, 404), endpoint
