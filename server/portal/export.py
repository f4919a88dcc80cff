"""The citizen's copy of everything Ledsager holds about them (GDPR art. 15), as plain data.

Every record about the citizen is in it (each contact, plan version, appointment, ...).
The team's internal notes are the one thing the self-service copy withholds: the product rule
is that nothing of the worker's notes reaches a citizen response unless the worker shared it
(SPEC "What is shared"), and a note can name third parties, which the municipality must weigh
before handing it out (databeskyttelsesloven §22). The copy says which fields were withheld
and how to ask for them; `internal=True` gives the complete copy for a request the
municipality handles. Staff appear by role only in the access log (Datatilsynet); the
citizen's own primary worker is named.
"""
import enum
from datetime import date, datetime

from sqlalchemy import select

from server.appointments.models import Appointment, CalendarFeed
from server.auth.models import User
from server.citizens.models import Assessment, Assignment, NetworkPerson, Substitution
from server.contacts.models import Contact
from server.db import utcnow
from server.extensions import db
from server.housing.models import HousingEvent, HousingPlan
from server.offers.models import CitizenOffer
from server.plans.models import Plan
from server.reminders.models import Reminder
from server.teams.models import AgendaItem, TeamMeeting

FORMAT_VERSION = 1


def _value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return None  # keys and handles are not personal data fit for a copy
    return value


def _row(obj, fields) -> dict:
    return {name: _value(getattr(obj, name)) for name in fields}


def _all(query) -> list:
    return list(db.session.scalars(query))


# (section, field) pairs that hold the team's internal notes; contact notes only when unshared.
INTERNAL_FIELDS = {
    ("assessments", "worker_notes"), ("contacts", "note"), ("appointments", "note"),
    ("appointments", "outcome"), ("appointments", "follow_up"), ("reminders", "text"),
    ("housing_events", "note"), ("housing_plan", "note"), ("offers", "note"), ("network", "note"),
    ("team_meeting_items", "discussion"), ("team_meeting_items", "decision"), ("assignments", "reason"),
    ("assignments", "cap_override_reason"), ("substitutions", "reason"), ("plans", "change_note"),
    ("goals", "worker_note"),
}


def export_citizen(citizen, *, internal: bool = False) -> dict:
    """Every record about `citizen`, each list filtered on this citizen's id (never on a name).

    Without `internal`, the team's internal notes are withheld (see the module docstring).
    """
    data = _complete(citizen)
    data["internal_notes_included"] = internal
    data["internal_notes_withheld"] = {} if internal else _withhold_internal_notes(data)
    return data


def _withhold_internal_notes(data: dict) -> dict[str, int]:
    """Blank the internal note fields in place; return how many of each were withheld."""
    withheld: dict[str, int] = {}

    def blank(section: str, row: dict) -> None:
        for name in list(row):
            shared_contact = section == "contacts" and name == "note" and row.get("shared_with_citizen")
            if (section, name) in INTERNAL_FIELDS and row[name] and not shared_contact:
                row[name] = None
                key = f"{section}.{name}"
                withheld[key] = withheld.get(key, 0) + 1

    for section, rows in data.items():
        if isinstance(rows, dict):
            blank(section, rows)
        elif isinstance(rows, list):
            for row in rows:
                if isinstance(row, dict):
                    blank(section, row)
                    for goal in row.get("goals", []):
                        blank("goals", goal)
    return withheld


def _complete(citizen) -> dict:
    cid = citizen.id
    return {
        "format": "ledsager-art15",
        "format_version": FORMAT_VERSION,
        "generated_at": utcnow().isoformat(),
        "citizen": _row(citizen, [
            "id", "first_name", "last_name", "preferred_name", "birth_year", "cpr", "phone",
            "support_method", "status", "started_on", "ended_on", "end_reason", "end_housing_situation",
            "wishes", "wishes_updated_at", "asked_for_contact_at", "created_at",
        ]),
        "account": _account(citizen),
        "assignments": _assignments(cid),
        "substitutions": [
            _row(s, ["starts_at", "ends_at", "reason"]) for s in
            _all(select(Substitution).where(Substitution.citizen_id == cid).order_by(Substitution.starts_at))
        ],
        "plans": _plans(cid),
        "assessments": [
            {**_row(a, ["assessed_on", "citizen_words", "worker_notes", "created_at"]),
             "dimension": a.dimension.name}
            for a in _all(select(Assessment).where(Assessment.citizen_id == cid)
                          .order_by(Assessment.assessed_on, Assessment.id))
        ],
        "contacts": [
            {**_row(c, ["occurred_at", "type", "place", "reached", "duration_minutes", "note",
                        "shared_with_citizen", "recorded_at", "received_at"]),
             "dimensions": [d.name for d in c.dimensions]}
            for c in _all(select(Contact).where(Contact.citizen_id == cid).order_by(Contact.occurred_at))
        ],
        "appointments": [
            _row(a, ["title", "counterpart", "starts_at", "ends_at", "location", "meeting_point",
                     "accompanied", "cancelled", "citizen_answer", "citizen_answered_at", "attended",
                     "worker_was_present", "outcome", "follow_up", "note", "recorded_at"])
            for a in _all(select(Appointment).where(Appointment.citizen_id == cid).order_by(Appointment.starts_at))
        ],
        "reminders": [
            _row(r, ["text", "due_at", "done_at", "source", "recorded_at"])
            for r in _all(select(Reminder).where(Reminder.citizen_id == cid).order_by(Reminder.due_at))
        ],
        "housing_events": [
            _row(h, ["starts_on", "situation", "housed", "evicted", "address", "note"])
            for h in _all(select(HousingEvent).where(HousingEvent.citizen_id == cid)
                          .order_by(HousingEvent.starts_on, HousingEvent.id))
        ],
        "housing_plan": _housing_plan(cid),
        "offers": [
            {**_row(o, ["status", "note", "updated_at"]), "offer": o.offer.name, "provider": _value(o.offer.provider)}
            for o in _all(select(CitizenOffer).where(CitizenOffer.citizen_id == cid).order_by(CitizenOffer.id))
        ],
        "network": [
            _row(p, ["name", "relation", "phone", "contact_wish", "note"])
            for p in _all(select(NetworkPerson).where(NetworkPerson.citizen_id == cid).order_by(NetworkPerson.id))
        ],
        "team_meeting_items": [
            {**_row(item, ["reason", "discussion", "decision"]), "held_at": _value(held_at)}
            for item, held_at in db.session.execute(
                select(AgendaItem, TeamMeeting.held_at)
                .join(TeamMeeting, TeamMeeting.id == AgendaItem.meeting_id)
                .where(AgendaItem.citizen_id == cid)
                .order_by(TeamMeeting.held_at, AgendaItem.position)
            )
        ],
        "calendar_feeds": [
            _row(f, ["created_at", "revoked_at"])
            for f in _all(select(CalendarFeed).where(CalendarFeed.citizen_id == cid).order_by(CalendarFeed.id))
        ],
        "access_log": _access_log(citizen),
    }


def _account(citizen) -> dict | None:
    user = citizen.user
    if user is None:
        return None
    return {
        **_row(user, ["username", "created_at", "active"]),
        "passkeys": [_row(c, ["label", "created_at", "last_used_at", "device_type"]) for c in user.credentials],
    }


def _assignments(cid: int) -> list[dict]:
    rows = db.session.execute(
        select(Assignment, User.name)
        .join(User, User.id == Assignment.worker_id)
        .where(Assignment.citizen_id == cid)
        .order_by(Assignment.starts_at)
    )
    return [{**_row(a, ["starts_at", "ends_at", "reason", "cap_override_reason"]), "worker": name} for a, name in rows]


def _plans(cid: int) -> list[dict]:
    plans = _all(select(Plan).where(Plan.citizen_id == cid).order_by(Plan.version))
    return [
        {
            **_row(p, ["version", "created_at", "review_on", "reviewed_on", "section_141_reference",
                       "caseworker_name", "caseworker_contact", "change_note"]),
            "goals": [{**_row(g, ["citizen_words", "worker_note"]), "dimension": g.dimension.name} for g in p.goals],
            "actions": [
                {**_row(a, ["who", "what", "due_on", "done"]), "dimension": a.dimension.name if a.dimension else None}
                for a in p.actions
            ],
        }
        for p in plans
    ]


def _housing_plan(cid: int) -> dict | None:
    plan = db.session.scalar(select(HousingPlan).where(HousingPlan.citizen_id == cid))
    if plan is None:
        return None
    return _row(plan, ["interim_stay", "target", "waiting_list", "expected_move_in_on", "moving_in", "deposit",
                       "deposit_loan", "betalingsservice", "rent_administration", "moving_help", "furniture",
                       "note", "created_at"])


def _access_log(citizen) -> list[dict]:
    """Every audit row for the citizen (this request's own export row included): when, what
    kind, which role, outcome. No staff names or ids, no IP addresses."""
    from server.portal.queries import pending_audit_events, stored_audit_events

    events = pending_audit_events(citizen.id) + _all(stored_audit_events(citizen.id))
    own_user_id = citizen.user_id
    return [
        {
            "at": _value(e.at),
            "action": e.action,
            "role": ("self" if e.role == "citizen" and e.user_id == own_user_id else e.role),
            "subject": e.subject,
            "outcome": e.outcome,
        }
        for e in events
    ]
