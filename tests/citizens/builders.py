"""Builders for the worker-phone tests: contacts, appointments, housing, plans, reminders."""
import uuid
from datetime import date, timedelta

from server.appointments.models import Appointment
from server.contacts.models import Contact
from server.db import utcnow
from server.extensions import db
from server.housing.models import HOUSED, HousingEvent, HousingPlan
from server.reminders.models import Reminder


def _save(obj):
    db.session.add(obj)
    db.session.commit()
    return obj


def contact(citizen, worker, occurred_at=None, reached=True, **kw):
    now = utcnow()
    kw.setdefault("type", "home_visit" if reached else "outreach")
    kw.setdefault("place", "home")
    return _save(Contact(client_id=uuid.uuid4(), recorded_at=now, citizen_id=citizen.id, worker_id=worker.id,
                         reached=reached, occurred_at=occurred_at or now, **kw))


def appointment(citizen, by, starts_at, accompanied=False, **kw):
    kw.setdefault("counterpart", "jobcenter")
    kw.setdefault("title", "Samtale på jobcentret")
    return _save(Appointment(client_id=uuid.uuid4(), recorded_at=utcnow(), citizen_id=citizen.id,
                             created_by_id=by.id, starts_at=starts_at, accompanied=accompanied, **kw))


def housing(citizen, by, situation="street", starts_on=None):
    return _save(HousingEvent(citizen_id=citizen.id, situation=situation, housed=situation in HOUSED,
                              starts_on=starts_on or date.today() - timedelta(days=30), recorded_by_id=by.id))


def housing_plan(citizen, moving_in=True):
    return _save(HousingPlan(citizen_id=citizen.id, moving_in=moving_in))


def reminder(owner, citizen=None, due_at=None, text="Ring til lægen", done=False):
    now = utcnow()
    return _save(Reminder(client_id=uuid.uuid4(), recorded_at=now, owner_id=owner.id,
                          citizen_id=citizen.id if citizen else None, text=text, due_at=due_at or now,
                          done_at=now if done else None))


def plan(citizen, author, goals=(("housing", "Jeg vil have min egen lejlighed"),), version=1):
    from sqlalchemy import select

    from server.citizens.models import Dimension
    from server.plans.models import Goal, Plan

    p = Plan(citizen_id=citizen.id, version=version, author_id=author.id)
    for position, (key, words) in enumerate(goals):
        dim = db.session.scalar(select(Dimension).where(Dimension.key == key))
        p.goals.append(Goal(dimension_id=dim.id, position=position, citizen_words=words))
    return _save(p)
