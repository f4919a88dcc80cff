"""Reads for housing: the timeline, the current situation per citizen, and housing outcomes.

The outcome categories follow the national ICM evaluation: housed at the end; lost the home
and re-housed; lost the home and not re-housed; never housed.
"""
from datetime import date

from sqlalchemy import case, func, select

from server.housing.models import HousingEvent, HousingPlan

HOUSED_AT_END = "housed_at_end"
LOST_AND_REHOUSED = "lost_and_rehoused"
LOST_NOT_REHOUSED = "lost_not_rehoused"
NEVER_HOUSED = "never_housed"
OUTCOMES = (HOUSED_AT_END, LOST_AND_REHOUSED, LOST_NOT_REHOUSED, NEVER_HOUSED)


def timeline(citizen_id: int):
    """Newest first; events on the same day in the order they were recorded."""
    return (
        select(HousingEvent)
        .where(HousingEvent.citizen_id == citizen_id)
        .order_by(HousingEvent.starts_on.desc(), HousingEvent.id.desc())
    )


def housing_plan(citizen_id: int):
    return select(HousingPlan).where(HousingPlan.citizen_id == citizen_id)


def current_situation_subquery(as_of: date | None = None):
    """The latest event per citizen (by starts_on, then id), as a subquery for list pages.

    Columns: citizen_id, situation, housed, starts_on, evicted. Join it with an outer join
    on citizen_id: citizens with no event have no row.
    """
    rank = func.row_number().over(
        partition_by=HousingEvent.citizen_id,
        order_by=(HousingEvent.starts_on.desc(), HousingEvent.id.desc()),
    )
    ranked = select(
        HousingEvent.citizen_id, HousingEvent.situation, HousingEvent.housed,
        HousingEvent.starts_on, HousingEvent.evicted, rank.label("rank"),
    )
    if as_of is not None:
        ranked = ranked.where(HousingEvent.starts_on <= as_of)
    ranked = ranked.subquery("ranked_housing")
    return (
        select(ranked.c.citizen_id, ranked.c.situation, ranked.c.housed, ranked.c.starts_on,
               ranked.c.evicted)
        .where(ranked.c.rank == 1)
        .subquery("current_housing")
    )


def housing_outcome(citizen_events) -> str:
    """Classify one citizen's timeline, given as (starts_on, housed) pairs in any order.

    A loss is a move from a housed situation to a homeless one. Pass only the events up to the
    end of the period (or of the course); pairs on the same date keep their given order.
    """
    events = sorted(citizen_events, key=lambda event: event[0])
    if not any(housed for _, housed in events):
        return NEVER_HOUSED
    lost = any(before and not after for (_, before), (_, after) in zip(events, events[1:]))
    housed_now = events[-1][1]
    if housed_now:
        return LOST_AND_REHOUSED if lost else HOUSED_AT_END
    return LOST_NOT_REHOUSED


def housing_outcome_query(as_of: date | None = None):
    """The same classification in SQL: one row (citizen_id, outcome) per citizen with events.

    Citizens without any event have no row; count them as never housed.
    """
    order = (HousingEvent.starts_on, HousingEvent.id)
    previous = func.lag(HousingEvent.housed).over(partition_by=HousingEvent.citizen_id, order_by=order)
    last_first = func.row_number().over(
        partition_by=HousingEvent.citizen_id, order_by=(HousingEvent.starts_on.desc(), HousingEvent.id.desc())
    )
    steps = select(
        HousingEvent.citizen_id,
        HousingEvent.housed,
        previous.label("previous_housed"),
        last_first.label("from_end"),
    )
    if as_of is not None:
        steps = steps.where(HousingEvent.starts_on <= as_of)
    steps = steps.subquery("housing_steps")
    housed = case((steps.c.housed, 1), else_=0)
    loss = case((steps.c.previous_housed & ~steps.c.housed, 1), else_=0)
    housed_now = case(((steps.c.from_end == 1) & steps.c.housed, 1), else_=0)
    ever, losses, now = func.max(housed), func.max(loss), func.max(housed_now)
    outcome = case(
        (ever == 0, NEVER_HOUSED),
        ((now == 1) & (losses == 1), LOST_AND_REHOUSED),
        (now == 1, HOUSED_AT_END),
        else_=LOST_NOT_REHOUSED,
    )
    return select(steps.c.citizen_id, outcome.label("outcome")).group_by(steps.c.citizen_id)
