"""The demo data set: loads once, fills every entity, and puts work on today's list."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from server import demo
from server.appointments.models import Appointment
from server.auth.models import Role, User
from server.auth.passwords import check_password
from server.citizens.models import (
    Assessment, Assignment, Citizen, CourseStatus, Dimension, NetworkPerson, Substitution,
)
from server.contacts.models import Contact
from server.db import utcnow
from server.extensions import db
from server.housing.models import HousingEvent, HousingPlan
from server.offers.models import CitizenOffer, Offer
from server.plans.models import Plan
from server.reminders.models import Reminder
from server.teams.models import AgendaItem, SupervisionSession, Team, TeamMeeting

LOCAL = ZoneInfo("Europe/Copenhagen")


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def caseloads() -> dict[str, int]:
    rows = db.session.execute(
        select(User.username, func.count()).join(Assignment, Assignment.worker_id == User.id)
        .where(Assignment.ends_at.is_(None)).group_by(User.username))
    return dict(rows.all())


def test_demo_loads_a_team_with_staff_who_can_log_in_with_the_demo_password(ctx):
    logins = demo.load()

    assert [u for u, _ in logins] == ["karin", "mette", "jonas", "sara", "admin", "borger"]
    team = db.session.scalar(select(Team).where(Team.name == "ICM-team Søby"))
    assert (team.municipality, team.meeting_cadence_days, team.supervision_cadence_days) == ("Søby Kommune", 7, 42)
    mette = db.session.scalar(select(User).where(User.username == "mette"))
    assert mette.role == Role.WORKER and mette.team_id == team.id
    assert check_password(mette.password_hash, demo.DEMO_PASSWORD)
    borger = db.session.scalar(select(User).where(User.username == "borger"))
    assert borger.role == Role.CITIZEN and borger.password_hash is None
    assert db.session.scalar(select(Citizen).where(Citizen.user_id == borger.id)) is not None


def test_demo_caseloads_respect_the_cap_and_keep_one_reassignment_in_history(ctx, app):
    demo.load()

    assert caseloads() == {"mette": 7, "jonas": 7, "sara": 6}
    assert max(caseloads().values()) <= app.config["CASELOAD_CAP"]
    assert count(Citizen, Citizen.status == CourseStatus.ACTIVE) == 20
    assert count(Citizen, Citizen.status == CourseStatus.ENDED) == 1
    assert count(Assignment, Assignment.ends_at.is_not(None)) == 2  # the reassignment and the ended course
    now = utcnow()
    assert count(Substitution, Substitution.starts_at <= now, Substitution.ends_at > now) == 1


def test_demo_fills_every_entity_with_history(ctx):
    demo.load()

    for model, at_least in ((Contact, 500), (Appointment, 60), (Reminder, 15), (Plan, 30), (Assessment, 100),
                            (HousingEvent, 40), (HousingPlan, 20), (NetworkPerson, 15), (Offer, 8),
                            (CitizenOffer, 30), (TeamMeeting, 2), (AgendaItem, 6), (SupervisionSession, 2)):
        assert count(model) >= at_least, model.__name__
    # Every active citizen has contacts; some were tried but not reached.
    with_contacts = db.session.scalar(select(func.count(func.distinct(Contact.citizen_id))))
    assert with_contacts == 21
    assert count(Contact, Contact.reached.is_(False)) > 20
    assert count(Contact, Contact.shared_with_citizen.is_(True)) > 10
    # Plans come in versions; a couple have an overdue review.
    assert db.session.scalar(select(func.max(Plan.version))) == 3
    latest = select(Plan.citizen_id, func.max(Plan.version).label("v")).group_by(Plan.citizen_id).subquery()
    overdue = db.session.scalar(select(func.count()).select_from(Plan).join(
        latest, (latest.c.citizen_id == Plan.citizen_id) & (latest.c.v == Plan.version))
        .where(Plan.review_on < utcnow().date()))
    assert 2 <= overdue <= 4
    # One eviction, and two citizens of the same worker in the move-in phase.
    assert count(HousingEvent, HousingEvent.evicted.is_(True)) == 1
    assert count(HousingPlan, HousingPlan.moving_in.is_(True)) == 2


def test_demo_puts_appointments_and_due_reminders_on_today(ctx):
    demo.load()

    today = utcnow().astimezone(LOCAL).date()
    starts = [a.astimezone(LOCAL).date() for a in db.session.scalars(select(Appointment.starts_at))]
    assert starts.count(today) >= 5
    assert starts.count(today + timedelta(days=1)) >= 3
    due = [(r.due_at.astimezone(LOCAL).date(), r.done_at) for r in db.session.scalars(select(Reminder))]
    assert sum(1 for d, done in due if d == today and done is None) >= 5
    assert sum(1 for d, done in due if d < today and done is None) >= 2
    assert sum(1 for _, done in due if done is not None) >= 2


def test_demo_has_citizens_not_reached_for_more_than_fourteen_days(ctx):
    demo.load()

    last_reached = select(Contact.citizen_id, func.max(Contact.occurred_at).label("last")) \
        .where(Contact.reached.is_(True)).group_by(Contact.citizen_id).subquery()
    rows = db.session.execute(select(Citizen.first_name, last_reached.c.last).join(
        last_reached, last_reached.c.citizen_id == Citizen.id).where(Citizen.status == CourseStatus.ACTIVE)).all()
    # SQLite hands back the subquery's max() as naive text-derived values: compare on dates.
    limit = (utcnow() - timedelta(days=14)).date()
    stale = sorted(name for name, last in rows if _date(last) < limit)
    assert stale == ["Rasmus", "Tommy"]


def _date(value):
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


def test_loading_the_demo_twice_changes_nothing_and_reset_loads_it_afresh(ctx):
    demo.load()
    contacts = count(Contact)

    demo.load()
    assert count(Team) == 1 and count(Contact) == contacts

    demo.load(reset=True)
    assert count(Team) == 1 and count(Citizen) == 21
    assert count(User) == 6 and count(Dimension) == 8


def test_every_page_renders_for_every_demo_user_without_a_server_error(app, ctx, login_as):
    """Walk the GET routes a demo user can reach (no arguments, or a citizen id) on the demo data."""
    demo.load()
    users = {u.username: u for u in db.session.scalars(select(User))}
    lasse = db.session.scalar(select(Citizen).where(Citizen.user_id == users["borger"].id))
    rules = [r for r in app.url_map.iter_rules()
             if "GET" in r.methods and not r.endpoint.startswith("static") and set(r.arguments) <= {"citizen_id"}]
    assert len(rules) > 10
    failures = []
    for username in ("mette", "sara", "karin", "admin", "borger"):
        client = login_as(users[username])
        for rule in rules:
            url = app.url_for(rule.endpoint, **({"citizen_id": lasse.id} if rule.arguments else {}))
            response = client.get(url)
            if response.status_code >= 500:
                failures.append((username, url, response.status_code))
    assert failures == []
