"""Housing: the timeline, derived `housed`, the housing plan, and outcome classification."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.housing import queries
from server.housing.models import HousingEvent, HousingPlan
from server.housing.operations import record_event

D = date(2025, 1, 1)


def day(n):
    return D + timedelta(days=n)


def setup(make):
    team = make.team()
    worker = make.worker(team=team)
    return worker, make.citizen(worker=worker)


def events():
    return db.session.scalars(select(HousingEvent).order_by(HousingEvent.id)).all()


def test_recording_a_move_in_derives_housed_and_shows_the_badge(make, login_as):
    worker, citizen = setup(make)
    client = login_as(worker)

    response = client.post(f"/citizens/{citizen.id}/housing/events", data={
        "situation": "rental_public", "starts_on": date.today().isoformat(), "address": "Søgade 4, 2. tv",
        "housed": "false"})

    assert response.status_code == 302
    [event] = events()
    assert event.housed is True and event.recorded_by_id == worker.id
    page = client.get(f"/citizens/{citizen.id}/housing").get_data(as_text=True)
    assert 'class="badge badge-ok" data-housing-badge>Egen lejebolig, almen' in page
    assert "Søgade 4, 2. tv" in page


def test_a_homeless_situation_is_never_housed_whatever_the_form_says(make, login_as):
    worker, citizen = setup(make)
    login_as(worker).post(f"/citizens/{citizen.id}/housing/events",
                          data={"situation": "shelter_110", "starts_on": "2025-03-01", "housed": "y"})
    assert events()[0].housed is False


def test_timeline_shows_eviction_and_rehousing_newest_first(make, login_as):
    worker, citizen = setup(make)
    client = login_as(worker)
    for situation, starts_on, evicted in (("street", "2025-01-01", ""), ("rental_private", "2025-02-01", ""),
                                          ("sofa_surfing", "2025-06-01", "y"), ("skaeve_huse", "2025-09-01", "")):
        data = {"situation": situation, "starts_on": starts_on}
        if evicted:
            data["evicted"] = evicted
        assert client.post(f"/citizens/{citizen.id}/housing/events", data=data).status_code == 302

    page = client.get(f"/citizens/{citizen.id}/housing").get_data(as_text=True)
    page = page[page.index('class="timeline"'):]
    order = [page.index(label) for label in ("Skæve huse", "sofasurfer", "Egen lejebolig, privat", "Gaden")]
    assert order == sorted(order)
    assert "Udsat" in page and "lukker aldrig forløbet" in page
    assert [e.evicted for e in events()] == [False, False, True, False]


@pytest.mark.parametrize("data, field, message", [
    ({"situation": "", "starts_on": "2025-01-01"}, "situation", "Vælg en boligsituation."),
    ({"situation": "castle", "starts_on": "2025-01-01"}, "situation", "Vælg en boligsituation."),
    ({"situation": "street", "starts_on": ""}, "starts_on", "Skriv en gyldig dato."),
    ({"situation": "street", "starts_on": (date.today() + timedelta(days=2)).isoformat()}, "starts_on",
     "Datoen må ikke ligge i fremtiden."),
    ({"situation": "street", "starts_on": "1890-01-01"}, "starts_on", "Datoen ser forkert ud."),
    ({"situation": "street", "starts_on": "2025-01-01", "address": "x" * 301}, "address", ""),
])
def test_bad_housing_event_answers_422_at_the_field_and_saves_nothing(make, login_as, data, field, message):
    worker, citizen = setup(make)
    response = login_as(worker).post(f"/citizens/{citizen.id}/housing/events", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error">{message}' in page
    assert events() == []


def test_housing_plan_is_saved_with_its_checklist(make, login_as):
    worker, citizen = setup(make)
    client = login_as(worker)
    response = client.post(f"/citizens/{citizen.id}/housing/plan", data={
        "interim_stay": "Forsorgshjemmet Ly", "target": "Etværelses, almen", "waiting_list": "Boligselskabet Nord",
        "expected_move_in_on": "2026-03-01", "moving_in": "y", "deposit_loan": "y", "betalingsservice": "y"})
    assert response.status_code == 302
    plan = db.session.scalar(select(HousingPlan))
    assert (plan.interim_stay, plan.deposit_loan, plan.betalingsservice, plan.deposit, plan.moving_in) == (
        "Forsorgshjemmet Ly", True, True, False, True)
    client.post(f"/citizens/{citizen.id}/housing/plan", data={"interim_stay": "Hos søsteren"})
    assert db.session.scalar(select(func.count(HousingPlan.id))) == 1
    db.session.refresh(plan)
    assert plan.interim_stay == "Hos søsteren" and plan.moving_in is False


def test_moving_in_stays_on_after_a_move_in_but_the_page_suggests_ending_it(make, login_as):
    worker, citizen = setup(make)
    client = login_as(worker)
    client.post(f"/citizens/{citizen.id}/housing/plan", data={"moving_in": "y"})
    client.post(f"/citizens/{citizen.id}/housing/events", data={"situation": "rental_public", "starts_on": "2025-05-01"})
    assert db.session.scalar(select(HousingPlan.moving_in)) is True
    assert "Borgeren er flyttet ind" in client.get(f"/citizens/{citizen.id}/housing").get_data(as_text=True)


def test_bad_housing_plan_date_answers_422_and_saves_nothing(make, login_as):
    worker, citizen = setup(make)
    response = login_as(worker).post(f"/citizens/{citizen.id}/housing/plan",
                                     data={"interim_stay": "Ly", "expected_move_in_on": "31-31-2026"})
    assert response.status_code == 422
    assert 'id="expected_move_in_on-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(HousingPlan.id))) == 0


def test_supervisor_sees_housing_but_cannot_record(make, login_as):
    worker, citizen = setup(make)
    boss = login_as(make.supervisor(team=citizen.team))
    assert boss.get(f"/citizens/{citizen.id}/housing").status_code == 200
    assert boss.post(f"/citizens/{citizen.id}/housing/events",
                     data={"situation": "street", "starts_on": "2025-01-01"}).status_code == 403


# --- outcomes ---------------------------------------------------------------------------------

TIMELINES = {
    "rehoused_twice": [(day(0), False), (day(10), True), (day(100), False), (day(120), True),
                       (day(200), False), (day(230), True)],
    "ended_homeless": [(day(0), False), (day(30), True), (day(90), False)],
    "never_housed": [(day(0), False), (day(40), False)],
    "housed_throughout": [(day(0), False), (day(20), True), (day(50), True)],
}
EXPECTED = {"rehoused_twice": "lost_and_rehoused", "ended_homeless": "lost_not_rehoused",
            "never_housed": "never_housed", "housed_throughout": "housed_at_end"}


@pytest.mark.parametrize("name", TIMELINES)
def test_housing_outcome_classifies_a_timeline(name):
    assert queries.housing_outcome(TIMELINES[name]) == EXPECTED[name]
    assert queries.housing_outcome(list(reversed(TIMELINES[name]))) == EXPECTED[name]


def test_an_empty_timeline_is_never_housed():
    assert queries.housing_outcome([]) == "never_housed"


def _store(make, worker, timeline):
    from server.housing.models import HOUSED, Situation

    citizen = make.citizen(worker=worker)
    for starts_on, housed in timeline:
        record_event(citizen, worker, situation=Situation.RENTAL_PUBLIC if housed else Situation.STREET,
                     starts_on=starts_on)
        assert (Situation.RENTAL_PUBLIC in HOUSED) is True
    db.session.commit()
    return citizen


def test_sql_outcome_agrees_with_the_pure_function(make):
    worker = make.worker(team=make.team())
    ids = {name: _store(make, worker, timeline).id for name, timeline in TIMELINES.items()}

    rows = dict(db.session.execute(queries.housing_outcome_query()).all())

    assert rows == {ids[name]: EXPECTED[name] for name in TIMELINES}
    at_day_110 = dict(db.session.execute(queries.housing_outcome_query(as_of=day(110))).all())
    assert at_day_110[ids["rehoused_twice"]] == "lost_not_rehoused"
    assert at_day_110[ids["rehoused_twice"]] == queries.housing_outcome(
        [e for e in TIMELINES["rehoused_twice"] if e[0] <= day(110)])


def test_current_situation_subquery_takes_the_latest_event_per_citizen(make):
    from server.citizens.models import Citizen

    worker = make.worker(team=make.team())
    a = _store(make, worker, TIMELINES["ended_homeless"])
    b = _store(make, worker, TIMELINES["housed_throughout"])
    nobody = make.citizen(worker=worker)
    # Two events on the same day: the one recorded last wins.
    record_event(b, worker, situation="at_risk", starts_on=day(50))
    db.session.commit()
    current = queries.current_situation_subquery()

    rows = db.session.execute(
        select(Citizen.id, current.c.situation, current.c.housed)
        .outerjoin(current, current.c.citizen_id == Citizen.id)
        .order_by(Citizen.id)).all()

    assert rows == [(a.id, "street", False), (b.id, "at_risk", True), (nobody.id, None, None)]
