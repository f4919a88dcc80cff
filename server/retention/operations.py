"""Retention of personal data: the access log's purge and the anonymisation of ended courses.

`purge_audit` is the ONLY code path in Ledsager that deletes audit rows. After a purge the
oldest remaining row anchors the hash chain (its prev_hash names a row that no longer exists;
`verify_chain` starts from it), and the purge itself is logged as an audit event.

`anonymise_ended` counts the case-data retention period from the END of the course
(`Citizen.ended_on`), never from its start or from the last contact. Active courses are never
touched. It is idempotent (an anonymised citizen is not selected again) and safe to run on
several instances at once: each batch of citizens is row-locked with SKIP LOCKED on PostgreSQL.
Like every operation it flushes and never commits; the command commits per batch.
"""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, text, update

from server.appointments.models import Appointment, CalendarFeed
from server.audit import operations as audit
from server.audit.models import CHAIN_LOCK, AuditEvent
from server.auth.models import Credential, EnrolmentCode, LoginSession, User, WebAuthnChallenge
from server.citizens.models import Assessment, Assignment, Citizen, CourseStatus, NetworkPerson, Substitution
from server.contacts.models import Contact
from server.extensions import db
from server.housing.models import HousingEvent, HousingPlan
from server.offers.models import CitizenOffer
from server.plans.models import Action, Goal, Plan
from server.reminders.models import PushSubscription, Reminder
from server.teams.models import AgendaItem

ANONYMISED = "Anonymiseret"

# Free text about the citizen, per model: column -> replacement (None = emptied).
# Structured facts (dates, types, housed/not housed, status) stay for the statistics the
# municipality reports; everything written in words goes. tests/security/test_retention.py
# fails when a model linked to a citizen gains a text column that is listed neither here
# nor in KEPT_COLUMNS, so a new field cannot silently escape anonymisation.
SCRUBBED_BY_CITIZEN = {
    Contact: {"note": None},
    Assessment: {"citizen_words": None, "worker_notes": None},
    Appointment: {"title": ANONYMISED, "location": None, "meeting_point": None, "outcome": None,
                  "follow_up": None, "note": None},
    HousingEvent: {"address": None, "note": None},
    HousingPlan: {"interim_stay": None, "target": None, "waiting_list": None, "note": None},
    Reminder: {"text": ANONYMISED},
    CitizenOffer: {"note": None},
    AgendaItem: {"discussion": None, "decision": None},
    Substitution: {"reason": None},
    Assignment: {"reason": None, "cap_override_reason": None},
    Plan: {"section_141_reference": None, "caseworker_name": None, "caseworker_contact": None,
           "change_note": None},
}
SCRUBBED_BY_PLAN = {
    Goal: {"citizen_words": "", "worker_note": None},
    Action: {"who": "", "what": ""},
}
CITIZEN_FIELDS = {
    "first_name": ANONYMISED, "last_name": ANONYMISED, "preferred_name": None, "cpr": None,
    "phone": None, "birth_year": None, "wishes": None,
}
# Text columns deliberately kept: codes and categories, not words about the person.
KEPT_COLUMNS = {
    "citizens.support_method", "citizens.status", "citizens.end_reason", "citizens.end_housing_situation",
    "contacts.type", "contacts.place", "appointments.counterpart", "appointments.citizen_answer",
    "housing_events.situation", "reminders.source", "citizen_offers.status", "agenda_items.reason",
    "agenda_items.flags", "calendar_feeds.token", "plan_goals.key", "plan_actions.key",
}


def purge_audit(now: datetime) -> int:
    """Delete audit rows older than AUDIT_RETENTION_DAYS; returns how many went.

    A row exactly AUDIT_RETENTION_DAYS old is kept; one older goes.
    """
    days = current_app.config["AUDIT_RETENTION_DAYS"]
    cutoff = now - timedelta(days=days)
    if db.session.get_bind().dialect.name == "postgresql":
        # The same lock as appends, so the chain's tail is never purged under a writer.
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    result = db.session.execute(
        delete(AuditEvent).where(AuditEvent.at < cutoff).execution_options(synchronize_session=False)
    )
    purged = result.rowcount or 0
    audit.append([audit._event("purge_audit", None, f"{purged} rows before {cutoff.isoformat()}",
                               "ok", None)])
    return purged


def ended_before(now: datetime):
    days = current_app.config["CASE_RETENTION_DAYS"]
    return (now - timedelta(days=days)).date()


def due_for_anonymisation(now: datetime, limit: int = 100):
    """Ids of citizens whose course ended more than CASE_RETENTION_DAYS ago, locked for us."""
    query = (
        select(Citizen.id)
        .where(Citizen.status == CourseStatus.ENDED, Citizen.ended_on.is_not(None),
               Citizen.ended_on < ended_before(now))
        .order_by(Citizen.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(db.session.scalars(query))


def anonymise_citizen(citizen: Citizen, now: datetime) -> None:
    """Replace every word about this citizen; delete their network and their log-in's keys."""
    cid = citizen.id
    for model, fields in SCRUBBED_BY_CITIZEN.items():
        db.session.execute(update(model).where(model.citizen_id == cid).values(**fields)
                           .execution_options(synchronize_session=False))
    plan_ids = select(Plan.id).where(Plan.citizen_id == cid).scalar_subquery()
    for model, fields in SCRUBBED_BY_PLAN.items():
        db.session.execute(update(model).where(model.plan_id.in_(plan_ids)).values(**fields)
                           .execution_options(synchronize_session=False))
    db.session.execute(delete(NetworkPerson).where(NetworkPerson.citizen_id == cid))
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.citizen_id == cid))
    if citizen.user_id:
        deactivate_citizen_login(citizen.user_id, now)
    for field, value in CITIZEN_FIELDS.items():
        setattr(citizen, field, value)
    citizen.status = CourseStatus.ANONYMISED
    citizen.anonymised_at = now
    db.session.flush()
    audit.append([audit._event("anonymise", cid, "retention", "ok", None)])


def deactivate_citizen_login(user_id: int, now: datetime) -> None:
    user = db.session.get(User, user_id)
    if user is None:
        return
    for model in (Credential, EnrolmentCode, PushSubscription, WebAuthnChallenge):
        db.session.execute(delete(model).where(model.user_id == user_id))
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))
                       .values(revoked_at=now).execution_options(synchronize_session=False))
    user.active = False
    user.name = ANONYMISED
    user.username = f"anonymiseret-{user_id}"
    user.email = None
    user.phone = None


def anonymise_ended(now: datetime, batch: int = 100, commit=None) -> int:
    """Anonymise every citizen due; returns how many. `commit` is called after each batch."""
    done = 0
    while True:
        ids = due_for_anonymisation(now, limit=batch)
        if not ids:
            return done
        for citizen in db.session.scalars(select(Citizen).where(Citizen.id.in_(ids))):
            anonymise_citizen(citizen, now)
            done += 1
        if commit is None:
            db.session.flush()
            # Without a commit the rows stay selected-but-changed; they no longer match
            # (status anonymised), so the loop still ends.
        else:
            commit()
