"""Writes for the supervisor: course changes, team meetings with their agenda, supervision.

Each function flushes and records its audit event; the request commits once.
"""
import uuid
from datetime import date, timedelta

from sqlalchemy import select

from server.audit import operations as audit
from server.citizens.models import Assignment, Citizen, CourseStatus, Substitution
from server.citizens.operations import assign, current_assignment
from server.db import utcnow
from server.extensions import db
from server.localtime import MORNING, local_midnight, local_to_utc
from server.reminders.models import Reminder, ReminderSource
from server.teams import queries
from server.teams.models import AgendaItem, SupervisionSession, TeamMeeting

# Order of the flags on an agenda item: the first is the item's reason.
AGENDA_FLAGS = ("new", "asked_for_contact", "eviction_risk", "not_reached", "review_overdue")


def reassign(citizen: Citizen, worker, *, by, reason: str, override_reason: str | None = None) -> Assignment:
    """A new primary worker (history kept; the cap is checked by `assign`)."""
    return assign(citizen, worker, by=by, reason=reason, override_reason=override_reason or None)


def substitute(citizen: Citizen, substitute_user, *, by, starts_on: date, ends_on: date,
               reason: str | None) -> Substitution:
    """Time-limited access for a colleague, from the start of `starts_on` to the end of `ends_on`."""
    row = Substitution(citizen_id=citizen.id, substitute_id=substitute_user.id, granted_by_id=by.id,
                       starts_at=local_midnight(starts_on),
                       ends_at=local_midnight(ends_on + timedelta(days=1)), reason=reason)
    db.session.add(row)
    db.session.flush()
    audit.record("substitute", citizen_id=citizen.id, subject=f"substitute:{substitute_user.id}")
    return row


def end_substitution(substitution: Substitution) -> None:
    now = utcnow()
    if substitution.ends_at > now:
        substitution.ends_at = max(now, substitution.starts_at)
    db.session.flush()
    audit.record("substitute_end", citizen_id=substitution.citizen_id,
                 subject=f"substitute:{substitution.substitute_id}")


def end_course(citizen: Citizen, *, ended_on: date, reason: str, housing_situation: str | None) -> None:
    """End the course: status ended, the primary assignment and any substitution closed."""
    now = utcnow()
    citizen.status = CourseStatus.ENDED
    citizen.ended_on = ended_on
    citizen.end_reason = reason
    citizen.end_housing_situation = housing_situation
    open_assignment = current_assignment(citizen)
    if open_assignment is not None:
        open_assignment.ends_at = now  # the former worker loses access on the next request
    for row in db.session.scalars(select(Substitution).where(Substitution.citizen_id == citizen.id,
                                                             Substitution.ends_at > now)):
        row.ends_at = max(now, row.starts_at)
    db.session.flush()
    audit.record("end_course", citizen_id=citizen.id, subject=reason)


# --- Team meetings -------------------------------------------------------------------

def agenda_flags(row, today: date, cadence_days: int) -> list[str]:
    flags = []
    if row.started_on >= today - timedelta(days=cadence_days):
        flags.append("new")
    for flag in AGENDA_FLAGS[1:]:
        if getattr(row, flag):
            flags.append(flag)
    return flags


def create_meeting(team, *, by, limits: queries.Limits) -> TeamMeeting:
    """A meeting now, its agenda built from new citizens and flagged ones (one item each)."""
    meeting = TeamMeeting(team_id=team.id, held_at=limits.now, chaired_by_id=by.id)
    db.session.add(meeting)
    db.session.flush()
    rows = queries.board(team.id, limits, sort="name")
    position = 0
    for row in rows:
        flags = agenda_flags(row, limits.today, team.meeting_cadence_days)
        if not flags:
            continue
        db.session.add(AgendaItem(meeting_id=meeting.id, citizen_id=row.id, position=position,
                                  reason=flags[0], flags=",".join(flags)))
        position += 1
    db.session.flush()
    audit.record("write", subject=f"team_meeting:{meeting.id}")
    return meeting


def record_agenda_item(item: AgendaItem, *, discussion: str | None, decision: str | None,
                       reminder_owner_id: int | None = None, reminder_due: date | None = None,
                       reminder_text: str | None = None) -> AgendaItem:
    """Discussion and decision for one citizen; optionally a reminder for the primary worker."""
    item.discussion = discussion or None
    item.decision = decision or None
    if reminder_owner_id is not None and reminder_due is not None:
        due_at = local_to_utc(reminder_due, MORNING)
        reminder = Reminder(client_id=uuid.uuid4(), recorded_at=utcnow(), owner_id=reminder_owner_id,
                            citizen_id=item.citizen_id, text=reminder_text or decision or "",
                            due_at=due_at, source=ReminderSource.TEAM_DECISION)
        db.session.add(reminder)
        db.session.flush()
        item.reminder_id = reminder.id
    db.session.flush()
    return item


def add_supervision(team, *, by, held_on: date, kind: str, supervisor_name: str | None,
                    notes: str | None) -> SupervisionSession:
    row = SupervisionSession(team_id=team.id, held_on=held_on, kind=kind, supervisor_name=supervisor_name or None,
                             notes=notes or None, recorded_by_id=by.id)
    db.session.add(row)
    db.session.flush()
    audit.record("write", subject=f"supervision:{row.id}")
    return row
