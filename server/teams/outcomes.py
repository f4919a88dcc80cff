"""Housing outcomes in the national evaluation's categories, computed from the housing timeline.

The timeline (HousingEvent ordered by starts_on, id) is read as of the period's end, or the
course's end if earlier. Per citizen, in SQL with window functions: ever housed, the number
of losses (a housed event followed by a not-housed one) and whether the last record is
housed. A corrected event therefore changes the figure at once.
"""
from dataclasses import dataclass
from datetime import date
from statistics import median

from sqlalchemy import and_, case, func, literal, or_, select

from server.citizens.models import Citizen
from server.extensions import db
from server.housing.models import HousingEvent
from server.teams.labels import NATIONAL_REFERENCE, OUTCOME_LABELS

CATEGORIES = ("housed", "lost_rehoused", "lost_not_rehoused", "never_housed")


def cohort_clause(team_id: int, start: date, end: date):
    """Citizens of the team whose course overlaps the period."""
    return and_(Citizen.team_id == team_id, Citizen.started_on <= end,
                or_(Citizen.ended_on.is_(None), Citizen.ended_on >= start))


def citizen_outcomes(team_id: int, start: date, end: date):
    """One row per citizen in the cohort: category, first move-in date and the figures behind."""
    cutoff = case((and_(Citizen.ended_on.is_not(None), Citizen.ended_on < end), Citizen.ended_on),
                  else_=literal(end))
    order = (HousingEvent.starts_on, HousingEvent.id)
    timeline = (
        select(
            HousingEvent.citizen_id, HousingEvent.housed, HousingEvent.starts_on,
            Citizen.started_on,
            func.lag(HousingEvent.housed).over(partition_by=HousingEvent.citizen_id, order_by=order)
            .label("previous_housed"),
            func.row_number().over(partition_by=HousingEvent.citizen_id,
                                   order_by=(HousingEvent.starts_on.desc(), HousingEvent.id.desc()))
            .label("from_last"),
        )
        .join(Citizen, Citizen.id == HousingEvent.citizen_id)
        .where(cohort_clause(team_id, start, end), HousingEvent.starts_on <= cutoff)
        .subquery("timeline")
    )
    t = timeline.c
    per_citizen = (
        select(
            t.citizen_id,
            func.max(case((t.housed.is_(True), 1), else_=0)).label("ever_housed"),
            func.sum(case((and_(t.previous_housed.is_(True), t.housed.is_(False)), 1), else_=0))
            .label("losses"),
            func.max(case((and_(t.from_last == 1, t.housed.is_(True)), 1), else_=0)).label("housed_last"),
            func.min(case((and_(t.housed.is_(True), t.starts_on >= t.started_on), t.starts_on)))
            .label("first_move_in"),
        )
        .group_by(t.citizen_id)
        .subquery("per_citizen")
    )
    p = per_citizen.c
    category = case(
        (or_(p.ever_housed.is_(None), p.ever_housed == 0), "never_housed"),
        (p.losses == 0, "housed"),
        (p.housed_last == 1, "lost_rehoused"),
        else_="lost_not_rehoused",
    ).label("category")
    return (
        select(Citizen.id, Citizen.first_name, Citizen.last_name, Citizen.preferred_name,
               Citizen.started_on, Citizen.ended_on, Citizen.status,
               func.coalesce(p.losses, 0).label("losses"), p.first_move_in, category)
        .outerjoin(per_citizen, p.citizen_id == Citizen.id)
        .where(cohort_clause(team_id, start, end))
        .subquery("outcomes")
    )


def outcome_list(team_id: int, start: date, end: date, category: str | None = None):
    o = citizen_outcomes(team_id, start, end)
    statement = select(o).order_by(o.c.category, o.c.first_name, o.c.last_name, o.c.id)
    if category in CATEGORIES:
        statement = statement.where(o.c.category == category)
    return statement


def outcome_counts(team_id: int, start: date, end: date):
    o = citizen_outcomes(team_id, start, end)
    return select(o.c.category, func.count()).group_by(o.c.category)


def move_in_days(team_id: int, start: date, end: date):
    """(started_on, first_move_in) for citizens who moved in during their course."""
    o = citizen_outcomes(team_id, start, end)
    return select(o.c.started_on, o.c.first_move_in).where(o.c.first_move_in.is_not(None))


@dataclass
class Summary:
    total: int
    counts: dict
    percents: dict
    median_days: float | None
    moved_in: int
    reference: dict
    labels: dict


def summary(team_id: int, start: date, end: date) -> Summary:
    counts = dict.fromkeys(CATEGORIES, 0)
    counts.update({category: n for category, n in db.session.execute(outcome_counts(team_id, start, end))})
    total = sum(counts.values())
    days = [(moved - started).days for started, moved in db.session.execute(move_in_days(team_id, start, end))]
    return Summary(
        total=total,
        counts=counts,
        percents={k: (round(100 * v / total) if total else None) for k, v in counts.items()},
        median_days=median(days) if days else None,
        moved_in=len(days),
        reference=NATIONAL_REFERENCE,
        labels=OUTCOME_LABELS,
    )
