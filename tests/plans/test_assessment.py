"""Needs assessment: every dimension, the citizen's words beside the worker's notes, history kept."""
from datetime import date, timedelta

from sqlalchemy import func, select

from server.citizens.models import Assessment, Dimension
from server.extensions import db


def setup(make):
    team = make.team()
    worker = make.worker(team=team)
    return team, worker, make.citizen(worker=worker)


def assessments():
    return db.session.scalar(select(func.count(Assessment.id)))


def test_page_lists_all_eight_dimensions_as_not_yet_covered(make, login_as):
    team, worker, citizen = setup(make)
    page = login_as(worker).get(f"/citizens/{citizen.id}/assessment").get_data(as_text=True)
    assert "Belyste livsområder: 0 / 8" in page
    for name in ("Bolig", "Økonomi", "Socialt netværk", "Misbrug", "Uddannelses- og arbejdsmarkedskompetencer"):
        assert name in page


def test_saving_an_assessment_covers_that_dimension_and_keeps_history(make, login_as):
    team, worker, citizen = setup(make)
    housing = make.dimension("housing")
    client = login_as(worker)
    url = f"/citizens/{citizen.id}/assessment/{housing.id}"
    prefix = f"d{housing.id}-"

    first = client.post(url, data={prefix + "citizen_words": "Jeg sover på bænken ved havnen",
                                   prefix + "worker_notes": "Har en søster i Aarhus",
                                   prefix + "assessed_on": (date.today() - timedelta(days=7)).isoformat()})
    client.post(url, data={prefix + "citizen_words": "Jeg vil have en lejlighed",
                           prefix + "assessed_on": date.today().isoformat()})

    assert first.status_code == 302
    assert assessments() == 2
    page = client.get(f"/citizens/{citizen.id}/assessment").get_data(as_text=True)
    assert "Belyste livsområder: 1 / 8" in page
    uncovered = page.split("data-uncovered>")[1].split("</ul>")[0]
    assert "Bolig" not in uncovered and "Økonomi" in uncovered
    latest = page.index("Jeg vil have en lejlighed")
    assert latest < page.index("Tidligere vurderinger (1)") < page.index("Jeg sover på bænken ved havnen")
    assert 'class="side-by-side"' in page


def test_coverage_counts_the_teams_custom_dimensions_too(make, login_as):
    team, worker, citizen = setup(make)
    client = login_as(worker)

    response = client.post("/dimensions", data={"name": "Kæledyr", "citizen_id": citizen.id})

    assert response.status_code == 302
    custom = db.session.scalar(select(Dimension).where(Dimension.name == "Kæledyr"))
    assert custom.team_id == team.id
    page = client.get(f"/citizens/{citizen.id}/assessment").get_data(as_text=True)
    assert "Belyste livsområder: 0 / 9" in page and "Kæledyr" in page
    other_worker = make.worker(team=make.team())
    other_citizen = make.citizen(worker=other_worker)
    assert "Kæledyr" not in login_as(other_worker).get(f"/citizens/{other_citizen.id}/assessment").get_data(as_text=True)


def test_a_duplicate_dimension_name_is_refused_with_a_message(make, login_as):
    team, worker, citizen = setup(make)
    response = login_as(worker).post("/dimensions", data={"name": "bolig", "citizen_id": citizen.id})
    assert response.status_code == 422
    assert "Teamet har allerede et livsområde med det navn." in response.get_data(as_text=True)


def test_empty_or_future_assessment_answers_422_and_saves_nothing(make, login_as):
    team, worker, citizen = setup(make)
    economy = make.dimension("economy")
    p = f"d{economy.id}-"
    client = login_as(worker)

    empty = client.post(f"/citizens/{citizen.id}/assessment/{economy.id}",
                        data={p + "citizen_words": "  ", p + "assessed_on": date.today().isoformat()})
    future = client.post(f"/citizens/{citizen.id}/assessment/{economy.id}",
                         data={p + "citizen_words": "Noget", p + "assessed_on": (date.today() + timedelta(days=3)).isoformat()})

    assert empty.status_code == 422 and future.status_code == 422
    assert "Skriv borgerens egne ord eller dine noter." in empty.get_data(as_text=True)
    assert "Datoen må ikke ligge i fremtiden." in future.get_data(as_text=True)
    assert assessments() == 0


def test_a_custom_dimension_of_another_team_cannot_be_assessed(make, login_as):
    team, worker, citizen = setup(make)
    foreign = make.save(Dimension(name="Fremmed", team_id=make.team().id))
    p = f"d{foreign.id}-"
    response = login_as(worker).post(f"/citizens/{citizen.id}/assessment/{foreign.id}",
                                     data={p + "citizen_words": "x", p + "assessed_on": date.today().isoformat()})
    assert response.status_code == 404 and assessments() == 0


def test_supervisor_reads_the_assessment_without_the_forms(make, login_as):
    team, worker, citizen = setup(make)
    page = login_as(make.supervisor(team=team)).get(f"/citizens/{citizen.id}/assessment")
    assert page.status_code == 200
    assert "Gem vurderingen" not in page.get_data(as_text=True)


def test_coverage_and_latest_plan_subqueries_give_one_row_per_citizen(make):
    from server.plans import queries
    from server.plans.models import Plan

    team, worker, citizen = setup(make)
    other = make.citizen(worker=worker)
    housing, economy = make.dimension("housing"), make.dimension("economy")
    for dim in (housing, housing, economy):
        make.save(Assessment(citizen_id=citizen.id, dimension_id=dim.id, assessed_on=date.today(),
                             citizen_words="ord", author_id=worker.id))
    for version in (1, 2):
        make.save(Plan(citizen_id=citizen.id, version=version, author_id=worker.id,
                       reviewed_on=date(2026, 1, version)))

    coverage = dict(db.session.execute(select(queries.assessment_coverage_subquery())).all())
    latest = db.session.execute(select(queries.latest_plan_subquery())).all()

    assert coverage == {citizen.id: 2}
    assert [(row.citizen_id, row.version, row.reviewed_on) for row in latest] == [(citizen.id, 2, date(2026, 1, 2))]
    assert other.id not in coverage
