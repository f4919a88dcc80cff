"""Writes for housing: flush, never commit (the request commits once)."""
from server.extensions import db
from server.housing.labels import CHECKLIST
from server.housing.models import HOUSED, HousingEvent, HousingPlan, Situation
from server.housing.queries import housing_plan

TEXT_FIELDS = ("interim_stay", "target", "waiting_list", "expected_move_in_on", "note")
SWITCHES = ("moving_in", *CHECKLIST)


def _text(value):
    return (value.strip() or None) if isinstance(value, str) else value


def record_event(citizen, author, *, situation, starts_on, evicted=False, address=None, note=None) -> HousingEvent:
    """A new situation from `starts_on`. `housed` follows from the situation, never from input.

    An eviction is one more event: the course goes on, and re-housing is just the next event.
    """
    situation = Situation(situation)
    event = HousingEvent(
        citizen_id=citizen.id, situation=situation, housed=situation in HOUSED, starts_on=starts_on,
        evicted=bool(evicted), address=_text(address), note=_text(note), recorded_by_id=author.id,
    )
    db.session.add(event)
    db.session.flush()
    return event


def update_housing_plan(citizen, data: dict) -> HousingPlan:
    plan = db.session.scalar(housing_plan(citizen.id))
    if plan is None:
        plan = HousingPlan(citizen_id=citizen.id)
        db.session.add(plan)
    for name in TEXT_FIELDS:
        setattr(plan, name, _text(data.get(name)))
    for name in SWITCHES:
        setattr(plan, name, bool(data.get(name)))
    db.session.flush()
    return plan
