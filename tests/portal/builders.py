"""Builders for the portal tests: a citizen's whole case, with canaries in every non-shared field."""
import uuid
from datetime import date, timedelta

from server.appointments.models import Appointment, Counterpart
from sqlalchemy import select

from server.citizens.models import Assessment, Assignment, NetworkPerson, Substitution
from server.contacts.models import Contact, ContactType, Place
from server.db import utcnow
from server.extensions import db
from server.housing.models import HousingEvent, HousingPlan, Situation
from server.offers.models import CitizenOffer, Offer, Provider
from server.plans.models import Action, Goal, Plan
from server.reminders.models import Reminder
from server.teams.models import AgendaItem, TeamMeeting
from tests import factories

# Fields the citizen must never see on their pages (team-internal), by model and column.
NON_SHARED_FIELDS = [
    "Contact.note(unshared)", "Goal.worker_note", "Assessment.worker_notes", "Appointment.note",
    "Appointment.outcome", "Appointment.follow_up", "Reminder.text", "NetworkPerson.note",
    "HousingEvent.note", "HousingPlan.note", "CitizenOffer.note", "Plan.change_note",
    "AgendaItem.discussion", "AgendaItem.decision", "Assignment.reason", "Assignment.cap_override_reason",
    "Substitution.reason",
]


def canary(tag: str, field: str) -> str:
    return f"KANARIE-{tag}-{field.replace('.', '-').replace('(', '-').replace(')', '')}"


def appointment(citizen, by, *, starts_in=timedelta(days=3), **kw):
    now = utcnow()
    values = dict(citizen_id=citizen.id, created_by_id=by.id, counterpart=Counterpart.JOBCENTER,
                  title="Møde på jobcentret", starts_at=now + starts_in, ends_at=now + starts_in + timedelta(hours=1),
                  location="Jobcenter Søby, Torvet 1", meeting_point="Ved hovedindgangen",
                  client_id=uuid.uuid4(), recorded_at=now)
    values.update(kw)
    return factories.save(Appointment(**values))


def contact(citizen, by, *, shared=False, note="", days_ago=2, **kw):
    now = utcnow()
    return factories.save(Contact(citizen_id=citizen.id, worker_id=by.id, type=kw.pop("type", ContactType.HOME_VISIT),
                                  place=kw.pop("place", Place.HOME), note=note, shared_with_citizen=shared,
                                  occurred_at=now - timedelta(days=days_ago), client_id=uuid.uuid4(),
                                  recorded_at=now, **kw))


def plan(citizen, by, *, version=1, goal_words="Jeg vil have min egen lejlighed", worker_note=None,
         change_note=None, action_what="Skrive til boligforeningen", action_who="Medarbejder"):
    p = Plan(citizen_id=citizen.id, version=version, author_id=by.id, review_on=date.today() + timedelta(days=60),
             change_note=change_note, caseworker_name="Sagsbehandler Hansen")
    p.goals.append(Goal(dimension_id=factories.dimension("housing").id, citizen_words=goal_words,
                        worker_note=worker_note))
    p.actions.append(Action(who=action_who, what=action_what, due_on=date.today() + timedelta(days=14),
                            dimension_id=factories.dimension("housing").id))
    return factories.save(p)


def full_case(citizen, worker, tag: str) -> dict[str, str]:
    """Every kind of record about `citizen`; each non-shared field carries a canary.

    Returns {field: canary}; shared texts carry "DELT-<tag>-..." markers that the citizen may see.
    """
    c = {field: canary(tag, field) for field in NON_SHARED_FIELDS}
    now = utcnow()
    contact(citizen, worker, shared=False, note=c["Contact.note(unshared)"])
    contact(citizen, worker, shared=True, note=f"DELT-{tag}-kontakt")
    plan(citizen, worker, version=1, goal_words=f"DELT-{tag}-gammelt-mål", worker_note=c["Goal.worker_note"],
         change_note=c["Plan.change_note"])
    plan(citizen, worker, version=2, goal_words=f"DELT-{tag}-mål", worker_note=c["Goal.worker_note"],
         change_note=c["Plan.change_note"], action_what=f"DELT-{tag}-skridt")
    factories.save(Assessment(citizen_id=citizen.id, dimension_id=factories.dimension("economy").id,
                              assessed_on=date.today(), citizen_words=f"DELT-{tag}-egne-ord",
                              worker_notes=c["Assessment.worker_notes"], author_id=worker.id))
    appointment(citizen, worker, title=f"DELT-{tag}-aftale", note=c["Appointment.note"],
                outcome=c["Appointment.outcome"], follow_up=c["Appointment.follow_up"], accompanied=True)
    factories.save(Reminder(owner_id=worker.id, citizen_id=citizen.id, text=c["Reminder.text"],
                            due_at=now + timedelta(days=1), client_id=uuid.uuid4(), recorded_at=now))
    factories.save(NetworkPerson(citizen_id=citizen.id, name=f"Søster {tag}", relation="søster",
                                 note=c["NetworkPerson.note"]))
    factories.save(HousingEvent(citizen_id=citizen.id, situation=Situation.SHELTER_110, housed=False,
                                starts_on=date.today() - timedelta(days=30), note=c["HousingEvent.note"],
                                recorded_by_id=worker.id))
    factories.save(HousingPlan(citizen_id=citizen.id, target="Almen bolig", note=c["HousingPlan.note"]))
    offer = factories.save(Offer(name=f"Værested {tag}", provider=Provider.NGO))
    factories.save(CitizenOffer(citizen_id=citizen.id, offer_id=offer.id, note=c["CitizenOffer.note"]))
    assignment = db.session.scalar(select(Assignment).where(Assignment.citizen_id == citizen.id))
    assignment.reason, assignment.cap_override_reason = c["Assignment.reason"], c["Assignment.cap_override_reason"]
    substitute = factories.worker(team=worker.team)
    factories.save(Substitution(citizen_id=citizen.id, substitute_id=substitute.id, granted_by_id=worker.id,
                                starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1),
                                reason=c["Substitution.reason"]))
    meeting = factories.save(TeamMeeting(team_id=citizen.team_id, held_at=now - timedelta(days=5)))
    factories.save(AgendaItem(meeting_id=meeting.id, citizen_id=citizen.id, reason="new",
                              discussion=c["AgendaItem.discussion"], decision=c["AgendaItem.decision"]))
    db.session.commit()
    return c
