"""Small builders for the supervisor's tests: contacts, plans, assessments, housing events."""
import uuid
from datetime import date, datetime, timedelta

from server.contacts.models import Contact
from server.citizens.models import Assessment
from server.db import utcnow
from server.extensions import db
from server.housing.models import HOUSED, HousingEvent, HousingPlan, Situation
from server.plans.models import Plan
from tests import factories


def contact(citizen, worker, *, at=None, days_ago=None, reached=True, place="home", type_="home_visit"):
    if at is None:
        at = utcnow() - timedelta(days=days_ago or 0)
    row = Contact(client_id=uuid.uuid4(), recorded_at=at, citizen_id=citizen.id, worker_id=worker.id,
                  type=type_, place=place, reached=reached, occurred_at=at)
    return factories.save(row)


def plan(citizen, author, *, version=1, review_on=None, reviewed_on=None, created_at=None):
    row = Plan(citizen_id=citizen.id, version=version, author_id=author.id, review_on=review_on,
               reviewed_on=reviewed_on)
    if created_at is not None:
        row.created_at = created_at
    return factories.save(row)


def assess(citizen, author, *keys):
    for key in keys:
        db.session.add(Assessment(citizen_id=citizen.id, dimension_id=factories.dimension(key).id,
                                  assessed_on=date.today(), author_id=author.id))
    db.session.commit()


ALL_KEYS = ("housing", "economy", "social_network", "daily_activities", "physical_health", "mental_health",
            "substance_use", "education_work")


def housing(citizen, author, situation, starts_on):
    situation = Situation(situation)
    return factories.save(HousingEvent(citizen_id=citizen.id, situation=situation, housed=situation in HOUSED,
                                       starts_on=starts_on, recorded_by_id=author.id))


def moving_in(citizen):
    return factories.save(HousingPlan(citizen_id=citizen.id, moving_in=True))


def days(n: int) -> date:
    return date.today() - timedelta(days=n)


def aware(dt: datetime) -> datetime:
    return factories.aware(dt)
