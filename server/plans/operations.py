"""Writes for the assessment and the plan: flush, never commit (the request commits once)."""
import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.citizens.models import Assessment, Dimension
from server.extensions import db
from server.plans import queries
from server.localtime import local_today
from server.plans.models import Action, Goal, Plan

PLAN_FIELDS = ("review_on", "section_141_reference", "caseworker_name", "caseworker_contact")


class PlanConflict(Exception):
    """Someone else saved the same version number first (two saves at the same moment)."""


def _text(value):
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    return value or None


def record_assessment(citizen, dimension, author, *, assessed_on, citizen_words, worker_notes) -> Assessment:
    """A new row per save: earlier assessments stay as the history."""
    row = Assessment(
        citizen_id=citizen.id, dimension_id=dimension.id, assessed_on=assessed_on,
        citizen_words=_text(citizen_words), worker_notes=_text(worker_notes), author_id=author.id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def create_dimension(team_id: int, name: str) -> Dimension:
    count = db.session.scalar(select(func.count(Dimension.id)).where(Dimension.team_id == team_id))
    row = Dimension(name=name.strip(), team_id=team_id, position=100 + (count or 0))
    db.session.add(row)
    db.session.flush()
    return row


def _normalise(data: dict) -> dict:
    """Strip text, drop empty strings, give every goal and action a stable key."""
    out = {name: _text(data.get(name)) for name in PLAN_FIELDS}
    out["change_note"] = _text(data.get("change_note"))
    out["reviewed"] = bool(data.get("reviewed"))
    out["goals"] = [
        {"key": g.get("key") or uuid.uuid4().hex, "dimension_id": int(g["dimension_id"]),
         "citizen_words": _text(g["citizen_words"]), "worker_note": _text(g.get("worker_note"))}
        for g in data.get("goals", [])
    ]
    out["actions"] = [
        {"key": a.get("key") or uuid.uuid4().hex,
         "dimension_id": int(a["dimension_id"]) if a.get("dimension_id") else None,
         "who": _text(a["who"]), "what": _text(a["what"]), "due_on": a.get("due_on"),
         "done": bool(a.get("done"))}
        for a in data.get("actions", [])
    ]
    return out


def plan_content(plan_or_data) -> tuple:
    """What a version says, without who saved it, when, its keys or its change note."""
    if isinstance(plan_or_data, Plan):
        plan = plan_or_data
        fields = tuple(getattr(plan, name) for name in PLAN_FIELDS) + (plan.reviewed_on,)
        goals = tuple((g.dimension_id, g.citizen_words, g.worker_note) for g in plan.goals)
        actions = tuple((a.dimension_id, a.who, a.what, a.due_on, a.done) for a in plan.actions)
        return fields, goals, actions
    data = plan_or_data
    fields = tuple(data[name] for name in PLAN_FIELDS) + (data["reviewed_on"],)
    goals = tuple((g["dimension_id"], g["citizen_words"], g["worker_note"]) for g in data["goals"])
    actions = tuple((a["dimension_id"], a["who"], a["what"], a["due_on"], a["done"]) for a in data["actions"])
    return fields, goals, actions


def save_plan_version(citizen, author, data: dict, *, today: date | None = None) -> Plan | None:
    """Store the edited plan as version n+1; return None when nothing differs from version n.

    A version is never edited: goals and actions are copied into the new version as the
    form had them. `data` is plain Python (see forms.PlanForm.to_data).
    """
    today = today or local_today()  # the municipality's day, not the server's
    current = db.session.scalar(queries.latest_plan(citizen.id))
    data = _normalise(data)
    previous_review = current.reviewed_on if current else None
    data["reviewed_on"] = today if data["reviewed"] else previous_review
    if current is not None and plan_content(current) == plan_content(data):
        return None
    if current is None and not data["goals"] and not data["actions"] and not any(data[f] for f in PLAN_FIELDS):
        return None  # an empty first plan says nothing
    plan = Plan(
        citizen_id=citizen.id, version=(current.version if current else 0) + 1, author_id=author.id,
        reviewed_on=data["reviewed_on"], change_note=data["change_note"],
        **{name: data[name] for name in PLAN_FIELDS},
    )
    plan.goals = [Goal(position=i, **g) for i, g in enumerate(data["goals"])]
    plan.actions = [Action(position=i, **a) for i, a in enumerate(data["actions"])]
    try:
        with db.session.begin_nested():
            db.session.add(plan)
            db.session.flush()
    except IntegrityError as error:
        raise PlanConflict() from error
    return plan
