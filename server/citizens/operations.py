"""Writes on citizens: assignment to a primary worker (with the caseload cap)."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from server.audit import operations as audit
from server.citizens.models import Assignment, Citizen, CourseStatus
from server.db import utcnow
from server.extensions import db


class CaseloadCapError(Exception):
    """Assigning would put the worker above the cap, and no supervisor override was given."""


def caseload_count(worker_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Assignment)
        .join(Citizen, Citizen.id == Assignment.citizen_id)
        .where(Assignment.worker_id == worker_id, Assignment.ends_at.is_(None),
               Citizen.status == CourseStatus.ACTIVE)
    )


def current_assignment(citizen: Citizen) -> Assignment | None:
    return db.session.scalar(
        select(Assignment).where(Assignment.citizen_id == citizen.id, Assignment.ends_at.is_(None))
    )


def check_cap(worker, *, by, override_reason: str | None = None) -> bool:
    """True if the worker is at or above the cap and a supervisor overrides with a reason.

    Raises CaseloadCapError when at the cap without a valid override.
    """
    from server.auth.models import Role

    cap = current_app.config["CASELOAD_CAP"]
    over_cap = caseload_count(worker.id) >= cap
    if over_cap and not (override_reason and by.role == Role.SUPERVISOR):
        raise CaseloadCapError(
            _("%(name)s har allerede %(cap)d borgere. Kun en teamleder kan gå over loftet, og skal give en begrundelse.",
              name=worker.name, cap=cap)
        )
    return over_cap


def assign(citizen: Citizen, worker, *, by, reason: str | None = None, override_reason: str | None = None) -> Assignment:
    """Make `worker` the citizen's primary worker, closing the previous assignment.

    The cap (8 by default, from the manual) is refused unless a supervisor gives a reason.
    History is kept: the old row gets an end time, a new row starts.
    """
    previous = current_assignment(citizen)
    if previous is not None and previous.worker_id == worker.id:
        return previous
    over_cap = check_cap(worker, by=by, override_reason=override_reason)
    now = utcnow()
    if previous is not None:
        previous.ends_at = now
        db.session.flush()  # the partial unique index allows one open row: close first
    assignment = Assignment(citizen_id=citizen.id, worker_id=worker.id, starts_at=now, assigned_by_id=by.id,
                            reason=reason, cap_override_reason=override_reason if over_cap else None)
    db.session.add(assignment)
    db.session.flush()
    audit.record("assign", citizen_id=citizen.id,
                 subject=f"worker:{worker.id}" + (" cap-override" if over_cap else ""))
    return assignment


def create_citizen(form, worker, *, by) -> Citizen:
    """Intake: a new citizen in the worker's team, assigned to that worker (cap applies).

    Raises CaseloadCapError before anything is kept: the request then rolls back as a whole.
    """
    override = getattr(form, "override_reason", None)
    override_reason = (override.data or None) if override is not None else None
    check_cap(worker, by=by, override_reason=override_reason)  # refuse before writing anything
    citizen = Citizen(
        team_id=worker.team_id,
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        preferred_name=form.preferred_name.data or None,
        birth_year=form.birth_year.data,
        cpr=form.cpr.data or None,
        phone=form.phone.data or None,
        support_method=form.support_method.data,
        started_on=form.started_on.data,
    )
    db.session.add(citizen)
    db.session.flush()
    audit.record("create", citizen_id=citizen.id, subject="citizen")
    assign(citizen, worker, by=by, reason="intake", override_reason=override_reason)
    return citizen


def add_network_person(citizen: Citizen, form):
    from server.citizens.models import NetworkPerson

    person = NetworkPerson(citizen_id=citizen.id)
    form.populate_obj(person)
    person.phone = person.phone or None
    person.note = person.note or None
    db.session.add(person)
    db.session.flush()
    return person


def update_network_person(person, form):
    form.populate_obj(person)
    person.phone = person.phone or None
    person.note = person.note or None
    db.session.flush()
    return person
