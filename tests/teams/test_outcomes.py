"""Housing outcomes in the national evaluation's categories, from hand-built timelines."""
from datetime import date

from server.citizens.models import CourseStatus
from server.extensions import db
from server.teams import outcomes
from tests.teams import builders as b

START, END = date(2026, 1, 1), date(2026, 6, 30)


def d(month, day):
    return date(2026, month, day)


def scenario(make):
    """Five citizens whose right answers are known by hand."""
    team = make.team()
    w = make.worker(team=team)
    c = {}
    # Housed on 1 Feb (31 days after start) and still housed.
    c["housed"] = make.citizen(worker=w, first_name="Bolig", started_on=d(1, 1))
    b.housing(c["housed"], w, "street", d(1, 1))
    b.housing(c["housed"], w, "rental_public", d(2, 1))
    # Re-housed twice: housed, lost, housed, lost, housed again.
    c["twice"] = make.citizen(worker=w, first_name="Toganges", started_on=d(1, 10))
    for situation, when in [("shelter_110", d(1, 10)), ("rental_private", d(1, 20)), ("street", d(2, 20)),
                            ("rental_public", d(3, 20)), ("sofa_surfing", d(4, 1)), ("skaeve_huse", d(5, 1))]:
        b.housing(c["twice"], w, situation, when)
    # Lost the home and the course ended while homeless; a later event after the end is ignored.
    c["lost"] = make.citizen(worker=w, first_name="Mistet", started_on=d(1, 1), status=CourseStatus.ENDED,
                             ended_on=d(4, 1))
    b.housing(c["lost"], w, "street", d(1, 1))
    b.housing(c["lost"], w, "rental_public", d(1, 31))
    b.housing(c["lost"], w, "street", d(3, 1))
    b.housing(c["lost"], w, "rental_public", d(5, 1))  # after the course ended
    # Never housed; and one with no timeline at all.
    c["never"] = make.citizen(worker=w, first_name="Aldrig", started_on=d(2, 1))
    b.housing(c["never"], w, "street", d(2, 1))
    c["empty"] = make.citizen(worker=w, first_name="Tom", started_on=d(3, 1))
    # Outside the period: ended before it started.
    c["old"] = make.citizen(worker=w, first_name="Gammel", started_on=date(2024, 1, 1),
                            status=CourseStatus.ENDED, ended_on=date(2025, 6, 1))
    return team, w, c


def categories(team):
    return {r.first_name: r.category for r in db.session.execute(outcomes.outcome_list(team.id, START, END))}


def test_each_citizen_lands_in_the_right_national_category(make):
    team, _, _ = scenario(make)
    assert categories(team) == {"Bolig": "housed", "Toganges": "lost_rehoused", "Mistet": "lost_not_rehoused",
                                "Aldrig": "never_housed", "Tom": "never_housed"}


def test_counts_percentages_and_median_time_to_move_in(make):
    team, _, _ = scenario(make)
    s = outcomes.summary(team.id, START, END)
    assert s.total == 5
    assert s.counts == {"housed": 1, "lost_rehoused": 1, "lost_not_rehoused": 1, "never_housed": 2}
    assert s.percents == {"housed": 20, "lost_rehoused": 20, "lost_not_rehoused": 20, "never_housed": 40}
    # First move-in: 31 days (Bolig), 10 days (Toganges), 30 days (Mistet) -> median 30.
    assert s.median_days == 30 and s.moved_in == 3


def test_a_later_correction_of_the_timeline_changes_the_figure(make):
    team, w, c = scenario(make)
    b.housing(c["never"], w, "rental_public", d(6, 1))
    assert categories(team)["Aldrig"] == "housed"
    # A correction on the same day as the move-in: order by id puts it last -> the home was lost.
    b.housing(c["housed"], w, "street", d(2, 1))
    assert categories(team)["Bolig"] == "lost_not_rehoused"


def test_the_timeline_is_read_as_of_the_end_of_the_period(make):
    team, _, _ = scenario(make)
    cats = {r.first_name: r.category for r in
            db.session.execute(outcomes.outcome_list(team.id, START, d(3, 1)))}
    assert cats["Toganges"] == "lost_not_rehoused"  # on 1 March he had lost his first home


def test_sql_classification_agrees_with_the_housing_timeline_rule(make):
    from server.housing import queries as housing_queries
    from server.housing.models import HousingEvent

    team, _, c = scenario(make)
    mapping = {"housed_at_end": "housed", "lost_and_rehoused": "lost_rehoused",
               "lost_not_rehoused": "lost_not_rehoused", "never_housed": "never_housed"}
    mine = categories(team)
    for key in ("housed", "twice", "never"):
        events = [(e.starts_on, e.housed) for e in db.session.query(HousingEvent).filter_by(citizen_id=c[key].id)]
        assert mapping[housing_queries.housing_outcome(events)] == mine[c[key].first_name]


def test_outcomes_page_shows_counts_reference_and_drills_down(make, login_as):
    team, _, c = scenario(make)
    boss = make.supervisor(team=team)
    client = login_as(boss)
    html = client.get("/team/outcomes?from=2026-01-01&to=2026-06-30").get_data(as_text=True)
    assert "76 %" in html and "16 %" in html
    assert "Mediantid fra forløbets start til indflytning: 30 dage" in html
    drill = client.get("/team/outcomes?from=2026-01-01&to=2026-06-30&category=never_housed").get_data(as_text=True)
    assert "Aldrig" in drill and "Tom Testsen" in drill and "Bolig Testsen" not in drill


def test_outcomes_page_answers_bad_dates_with_422_and_a_message(make, login_as):
    team, _, _ = scenario(make)
    response = login_as(make.supervisor(team=team)).get("/team/outcomes?from=nonsense&to=2026-06-30")
    assert response.status_code == 422
    assert "Ugyldig dato" in response.get_data(as_text=True)


def test_outcomes_csv_has_ids_and_initials_only_and_is_audited(make, login_as):
    from server.audit.models import AuditEvent

    team, _, c = scenario(make)
    boss = make.supervisor(team=team)
    response = login_as(boss).get("/team/outcomes.csv?from=2026-01-01&to=2026-06-30")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "Testsen" not in text and "Bolig" not in text
    assert f"{c['twice'].id};TT;2026-01-10;;lost_rehoused;2;2026-01-20;10" in text
    assert db.session.query(AuditEvent).filter_by(action="export", user_id=boss.id).count() == 1


def test_printable_report_has_outcomes_and_fidelity_without_names(make, login_as):
    team, _, _ = scenario(make)
    html = login_as(make.supervisor(team=team)).get("/team/report?from=2026-01-01&to=2026-06-30").get_data(as_text=True)
    assert "Metodetroskab" in html and "Aldrig boligplaceret" in html
    assert "Testsen" not in html
    assert "teams.css" in html
