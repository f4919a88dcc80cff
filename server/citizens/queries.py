"""Reads about citizens: caseload rows, not-reached flags and the citizen page's summary.

Every list is one SQL statement with grouped subqueries per column kind, so a page costs the
same number of queries for 2 citizens as for 40 (no N+1).
"""
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from server.appointments.models import Appointment
from server.auth.models import User
from server.citizens.models import Assignment, Citizen, CourseStatus, Dimension, NetworkPerson
from server.contacts.models import Contact
from server.housing.models import HousingEvent, HousingPlan
from server.localtime import local_midnight, local_today
from server.offers.models import CitizenOffer
from server.plans.models import Goal, Plan


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of `now`'s day in Copenhagen, as aware datetimes."""
    day = local_today(now)
    return local_midnight(day), local_midnight(day + timedelta(days=1))


def last_reached_at():
    """Per citizen, the time of the last contact in which the citizen was actually reached.

    An attempt (reached=False) is recorded but never counts as contact. A correlated scalar
    subquery (to Citizen): one probe of ix_contacts_citizen_occurred per listed citizen, so the
    cost follows the number of citizens on the page, not the length of everyone's history.
    """
    return (
        select(func.max(Contact.occurred_at))
        .where(Contact.citizen_id == Citizen.id, Contact.reached.is_(True))
        .correlate(Citizen)
        .scalar_subquery()
    )


def next_appointment_at(now: datetime):
    return (
        select(func.min(Appointment.starts_at))
        .where(Appointment.citizen_id == Citizen.id, Appointment.starts_at >= now,
               Appointment.cancelled.is_(False))
        .correlate(Citizen)
        .scalar_subquery()
    )


def latest_housing_event_id():
    """The citizen's current housing event: the latest start (ties: latest id)."""
    return (
        select(HousingEvent.id)
        .where(HousingEvent.citizen_id == Citizen.id)
        .order_by(HousingEvent.starts_on.desc(), HousingEvent.id.desc())
        .limit(1)
        .correlate(Citizen)
        .scalar_subquery()
    )


def primary_worker_subquery():
    return (
        select(Assignment.citizen_id, Assignment.worker_id, User.name.label("worker_name"))
        .join(User, User.id == Assignment.worker_id)
        .where(Assignment.ends_at.is_(None))
        .subquery("primary_worker")
    )


def not_reached(citizen_ids_clause, days: int, now: datetime):
    """Active citizens (matching `citizen_ids_clause`, a condition on Citizen) not reached for `days`.

    Counted from the last contact with reached=True; a citizen never reached since the
    start counts from `started_on`. Rows: (Citizen, last_contact_at), longest silence first.
    """
    cutoff = now - timedelta(days=days)
    cutoff_day = local_today(now) - timedelta(days=days)
    # The visible citizens first (a handful), then one index probe each: materialised on
    # PostgreSQL, or the planner probes every citizen's contacts before the visibility test.
    visible = (
        select(Citizen.id)
        .where(citizen_ids_clause, Citizen.status == CourseStatus.ACTIVE)
        .cte("visible_citizens")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    last = last_reached_at().label("last_contact_at")
    return (
        select(Citizen, last)
        .join(visible, visible.c.id == Citizen.id)
        .where(
            or_(
                last <= cutoff,
                and_(last.is_(None), Citizen.started_on <= cutoff_day),
            ),
        )
        .order_by(last.asc().nulls_first(), Citizen.started_on, Citizen.id)
    )


def caseload(citizen_ids_clause, now: datetime, worker_id: int | None = None):
    """The caseload list: one row per active citizen with every column the page shows.

    Rows: (Citizen, last_contact_at, next_appointment_at, situation, housed, moving_in,
    worker_id, worker_name). `worker_id` given: own citizens first, substitutions after.
    """
    primary = primary_worker_subquery()
    statement = (
        select(
            Citizen,
            last_reached_at().label("last_contact_at"),
            next_appointment_at(now).label("next_appointment_at"),
            HousingEvent.situation,
            HousingEvent.housed,
            HousingPlan.moving_in,
            primary.c.worker_id,
            primary.c.worker_name,
        )
        .outerjoin(HousingEvent, HousingEvent.id == latest_housing_event_id())
        .outerjoin(HousingPlan, HousingPlan.citizen_id == Citizen.id)
        .outerjoin(primary, primary.c.citizen_id == Citizen.id)
        .where(citizen_ids_clause, Citizen.status == CourseStatus.ACTIVE)
    )
    order = [Citizen.first_name, Citizen.last_name, Citizen.id]
    if worker_id is not None:
        order.insert(0, (primary.c.worker_id != worker_id))
    return statement.order_by(*order)


def moving_in_count(worker_id: int):
    """How many of the worker's own citizens are in the move-in phase right now."""
    return (
        select(func.count())
        .select_from(Assignment)
        .join(Citizen, Citizen.id == Assignment.citizen_id)
        .join(HousingPlan, HousingPlan.citizen_id == Assignment.citizen_id)
        .where(Assignment.worker_id == worker_id, Assignment.ends_at.is_(None),
               Citizen.status == CourseStatus.ACTIVE, HousingPlan.moving_in.is_(True))
    )


def team_caseloads(team_id: int):
    """Per worker of the team: (User, number of active citizens) — for a supervisor's view."""
    counts = (
        select(Assignment.worker_id, func.count().label("citizens"))
        .join(Citizen, Citizen.id == Assignment.citizen_id)
        .where(Assignment.ends_at.is_(None), Citizen.status == CourseStatus.ACTIVE)
        .group_by(Assignment.worker_id)
        .subquery()
    )
    return (
        select(User, func.coalesce(counts.c.citizens, 0))
        .outerjoin(counts, counts.c.worker_id == User.id)
        .where(User.team_id == team_id, User.role == "worker", User.active.is_(True))
        .order_by(User.name)
    )


# --- The citizen page ----------------------------------------------------------------

def current_housing(citizen_id: int):
    return (
        select(HousingEvent)
        .where(HousingEvent.citizen_id == citizen_id)
        .order_by(HousingEvent.starts_on.desc(), HousingEvent.id.desc())
        .limit(1)
    )


def housing_plan(citizen_id: int):
    return select(HousingPlan).where(HousingPlan.citizen_id == citizen_id)


def current_plan(citizen_id: int):
    """The latest saved version of the plan, its goals and their dimensions loaded."""
    return (
        select(Plan)
        .where(Plan.citizen_id == citizen_id)
        .order_by(Plan.version.desc())
        .limit(1)
        .options(selectinload(Plan.goals).selectinload(Goal.dimension))
    )


def upcoming_appointments(citizen_id: int, now: datetime, limit: int = 5):
    return (
        select(Appointment)
        .where(Appointment.citizen_id == citizen_id, Appointment.starts_at >= now,
               Appointment.cancelled.is_(False))
        .order_by(Appointment.starts_at)
        .limit(limit)
    )


def recent_contacts(citizen_id: int, limit: int = 10):
    return (
        select(Contact)
        .where(Contact.citizen_id == citizen_id)
        .order_by(Contact.occurred_at.desc(), Contact.id.desc())
        .limit(limit)
        .options(selectinload(Contact.dimensions), selectinload(Contact.worker))
    )


def citizen_offers(citizen_id: int):
    return (
        select(CitizenOffer)
        .where(CitizenOffer.citizen_id == citizen_id)
        .order_by(CitizenOffer.updated_at.desc())
        .options(selectinload(CitizenOffer.offer))
    )


def network(citizen_id: int):
    return select(NetworkPerson).where(NetworkPerson.citizen_id == citizen_id).order_by(NetworkPerson.name)


def dimensions_for_team(team_id: int):
    """The 8 life dimensions and the team's own, in the manual's order then custom ones."""
    return (
        select(Dimension)
        .where(or_(Dimension.team_id.is_(None), Dimension.team_id == team_id))
        .order_by(Dimension.position, Dimension.id)
    )


def team_workers(team_id: int):
    return (
        select(User)
        .where(User.team_id == team_id, User.role == "worker", User.active.is_(True))
        .order_by(User.name)
    )
