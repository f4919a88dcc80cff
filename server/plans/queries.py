"""Reads for the needs assessment and the versioned plan."""
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from server.citizens.models import Assessment, Dimension
from server.extensions import db
from server.plans.models import Action, Goal, Plan


def dimensions_for_team(team_id):
    """The 8 life dimensions first (manual order), then the team's own."""
    return (
        select(Dimension)
        .where(or_(Dimension.team_id.is_(None), Dimension.team_id == team_id))
        .order_by(Dimension.team_id.is_not(None), Dimension.position, Dimension.id)
    )


def dimension_for_team(dimension_id: int, team_id):
    return select(Dimension).where(
        Dimension.id == dimension_id,
        or_(Dimension.team_id.is_(None), Dimension.team_id == team_id),
    )


def latest_assessments(citizen_id: int):
    """The newest assessment per dimension (the last one saved wins)."""
    newest = (
        select(func.max(Assessment.id))
        .where(Assessment.citizen_id == citizen_id)
        .group_by(Assessment.dimension_id)
    )
    return select(Assessment).where(Assessment.id.in_(newest))


def assessment_history(citizen_id: int):
    return (
        select(Assessment)
        .where(Assessment.citizen_id == citizen_id)
        .order_by(Assessment.id.desc())
        .options(selectinload(Assessment.dimension))
    )


def uncovered_dimensions(dimensions, latest_by_dimension: dict) -> list:
    """Dimensions with no assessment yet: the manual asks that every one is looked at."""
    return [d for d in dimensions if d.id not in latest_by_dimension]


def _with_content(statement):
    return statement.options(
        selectinload(Plan.goals).selectinload(Goal.dimension),
        selectinload(Plan.actions).selectinload(Action.dimension),
        selectinload(Plan.author),
    )


def latest_plan(citizen_id: int):
    return _with_content(
        select(Plan).where(Plan.citizen_id == citizen_id).order_by(Plan.version.desc()).limit(1)
    )


def plan_version(citizen_id: int, version: int):
    return _with_content(select(Plan).where(Plan.citizen_id == citizen_id, Plan.version == version))


def plan_versions(citizen_id: int):
    """Every version, newest first, with the numbers of goals and actions (no N+1)."""
    goals = (
        select(func.count(Goal.id)).where(Goal.plan_id == Plan.id).correlate(Plan).scalar_subquery()
    )
    actions = (
        select(func.count(Action.id)).where(Action.plan_id == Plan.id).correlate(Plan).scalar_subquery()
    )
    return (
        select(Plan, goals.label("goal_count"), actions.label("action_count"))
        .where(Plan.citizen_id == citizen_id)
        .order_by(Plan.version.desc())
        .options(selectinload(Plan.author))
    )


def latest_version_number(citizen_id: int) -> int:
    return db.session.scalar(select(func.max(Plan.version)).where(Plan.citizen_id == citizen_id)) or 0


# --- For lists and the supervisor's fidelity figures (one row per citizen, no N+1) ------------

def assessment_coverage_subquery():
    """Per citizen: how many distinct dimensions have at least one assessment.

    Compare with the number of dimensions for the citizen's team (8 + the team's own).
    """
    return (
        select(Assessment.citizen_id, func.count(func.distinct(Assessment.dimension_id)).label("assessed"))
        .group_by(Assessment.citizen_id)
        .subquery("assessment_coverage")
    )


def latest_plan_subquery():
    """Per citizen: the latest plan version with its review dates and when it was saved."""
    rank = func.row_number().over(partition_by=Plan.citizen_id, order_by=Plan.version.desc())
    ranked = select(Plan.citizen_id, Plan.version, Plan.review_on, Plan.reviewed_on, Plan.created_at,
                    rank.label("rank")).subquery("ranked_plans")
    return (
        select(ranked.c.citizen_id, ranked.c.version, ranked.c.review_on, ranked.c.reviewed_on,
               ranked.c.created_at)
        .where(ranked.c.rank == 1)
        .subquery("latest_plan")
    )
