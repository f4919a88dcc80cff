"""Retention (SECURITY.md #20): the access log is kept AUDIT_RETENTION_DAYS (183) and then
purged; case data is anonymised CASE_RETENTION_DAYS after the course ENDED: 0 premature,
0 overdue, idempotent, and the audit chain still verifies after a purge."""
from datetime import date, datetime, timedelta, UTC

import pytest
from freezegun import freeze_time
from sqlalchemy import Text, String, func, select

from server.audit.models import AuditEvent
from server.audit.operations import append, verify_chain
from server.auth.models import Credential, LoginSession, User
from server.citizens.models import Citizen, CourseStatus, NetworkPerson
from server.extensions import db
from server.retention import commands
from server.retention.operations import (ANONYMISED, CITIZEN_FIELDS, KEPT_COLUMNS, SCRUBBED_BY_CITIZEN,
                                         SCRUBBED_BY_PLAN, anonymise_ended, purge_audit)
from tests.security.world import build_world

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def cli(app):
    if "audit-purge" not in app.cli.commands:
        commands.init_app(app)
    return app.test_cli_runner()


def audit_row(days_old: float, action="read"):
    event = AuditEvent(at=NOW - timedelta(days=days_old), action=action, outcome="ok", subject="test")
    append([event])
    return event


def test_audit_rows_183_days_old_are_kept_and_184_days_old_are_purged(app, ctx, cli):
    kept = [audit_row(0), audit_row(182), audit_row(183)]
    purged = [audit_row(183.0001), audit_row(184), audit_row(400)]
    # Appended newest-first above would break chain order; order is by id, which is fine:
    # the chain is over ids, not times.
    db.session.commit()
    kept_ids = {e.id for e in kept}
    with freeze_time(NOW):
        result = cli.invoke(args=["audit-purge"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    remaining = set(db.session.scalars(select(AuditEvent.id).where(AuditEvent.action == "read")))
    print(f"retention: audit rows kept {len(remaining & kept_ids)}/{len(kept)} "
          f"(<= 183 days), purged {len(purged) - len(remaining - kept_ids)}/{len(purged)} (> 183 days)")
    assert remaining == kept_ids
    checked, broken = verify_chain()
    assert broken is None and checked == len(kept) + 1  # + the purge's own event


def test_the_purge_is_itself_logged_and_the_chain_verifies_from_the_oldest_remaining_row(ctx):
    for days in (300, 250, 10, 5):
        audit_row(days)
    db.session.commit()
    assert purge_audit(NOW) == 2
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert events[-1].action == "purge_audit" and events[-1].subject.startswith("2 rows")
    assert events[0].prev_hash is not None  # it points at a purged row: the anchor
    assert verify_chain() == (3, None)


def test_no_other_code_path_deletes_or_updates_audit_rows():
    """Only server/retention/operations.py may write `delete(AuditEvent)`; nothing updates them."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "server"
    offenders = []
    for path in root.rglob("*.py"):
        source = path.read_text()
        if re.search(r"(delete|update)\(\s*AuditEvent|AuditEvent\.__table__\.(delete|update)|"
                     r"(DELETE FROM|UPDATE)\s+\"?audit_events", source):
            if path.name == "operations.py" and path.parent.name == "retention" and "update(" not in \
                    re.findall(r"(?:delete|update)\(\s*AuditEvent", source)[0]:
                continue
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def ended_citizen(world_make, ended_days_ago, status=CourseStatus.ENDED):
    citizen = world_make.citizen(worker=world_make.worker(team=world_make.team()), with_login=True)
    citizen.status = status
    citizen.ended_on = (NOW - timedelta(days=ended_days_ago)).date() if ended_days_ago is not None else None
    db.session.commit()
    return citizen


def test_case_data_is_anonymised_after_the_retention_period_from_the_end_of_the_course(app, make, cli):
    days = app.config["CASE_RETENTION_DAYS"]
    world = build_world()
    case = world.cases["own"]
    citizen = case.citizen
    citizen.status, citizen.ended_on = CourseStatus.ENDED, (NOW - timedelta(days=days + 1)).date()
    premature = ended_citizen(make, days - 1)
    on_the_day = ended_citizen(make, days)
    still_active = ended_citizen(make, None, status=CourseStatus.ACTIVE)
    still_active.started_on = date(2000, 1, 1)  # an old course that never ended: never touched
    db.session.commit()
    untouched = {c.id: (c.first_name, c.status) for c in (premature, on_the_day, still_active)}

    with freeze_time(NOW):
        result = cli.invoke(args=["anonymise-ended"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()

    citizen = db.session.get(Citizen, citizen.id)
    overdue = int(citizen.status != CourseStatus.ANONYMISED)
    early = sum(1 for cid, before in untouched.items()
                if (db.session.get(Citizen, cid).first_name, db.session.get(Citizen, cid).status) != before)
    print(f"retention: {early} premature anonymisations (ended {days - 1}/{days} days ago or active), "
          f"{overdue} overdue (ended {days + 1} days ago)")
    assert early == 0 and overdue == 0
    assert citizen.first_name == citizen.last_name == ANONYMISED
    assert citizen.cpr is None and citizen.phone is None and citizen.wishes is None
    assert citizen.anonymised_at is not None
    user = db.session.get(User, citizen.user_id)
    assert user.active is False and user.name == ANONYMISED
    assert db.session.scalar(select(func.count()).select_from(Credential).where(Credential.user_id == user.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(NetworkPerson)
                             .where(NetworkPerson.citizen_id == citizen.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(LoginSession)
                             .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))) == 0
    # Supervision notes are the team's, not about one citizen.
    about_citizen = {k: v for k, v in case.canaries.items() if k != "supervision_notes"}
    left = canaries_in_database(about_citizen)
    print(f"retention: {len(left)} of {len(about_citizen)} free-text canaries left after anonymisation")
    assert left == []
    # The other team's citizen (active) keeps every word.
    assert canaries_in_database(world.cases["other"].canaries) != []


def canaries_in_database(canaries: dict) -> list[str]:
    """Which canary values still appear in any text column of any table (audit log excluded)."""
    found = set()
    for table in db.metadata.sorted_tables:
        if table.name == "audit_events":
            continue
        text_columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
        for column in text_columns:
            for value in db.session.scalars(select(column).where(column.is_not(None))):
                for name, mark in canaries.items():
                    if mark in str(value):
                        found.add(f"{name} in {table.name}.{column.name}")
    return sorted(found)


def test_anonymisation_is_idempotent_and_logged_once_per_citizen(app, make):
    days = app.config["CASE_RETENTION_DAYS"]
    citizen = ended_citizen(make, days + 30)
    assert anonymise_ended(NOW) == 1
    db.session.commit()
    assert anonymise_ended(NOW) == 0
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "anonymise")).all()
    assert [e.citizen_id for e in events] == [citizen.id]


def test_every_free_text_column_of_citizen_data_is_anonymised_or_declared_kept():
    """A new text column on a table linked to a citizen must be classified (operations.py)."""
    scrubbed = {f"{m.__tablename__}.{c}" for table in (SCRUBBED_BY_CITIZEN, SCRUBBED_BY_PLAN)
                for m, cols in table.items() for c in cols}
    scrubbed |= {f"citizens.{c}" for c in CITIZEN_FIELDS}
    deleted = {"network_persons"}
    linked = {t for t in db.metadata.sorted_tables if "citizen_id" in t.columns and t.name != "audit_events"}
    linked |= {db.metadata.tables["plan_goals"], db.metadata.tables["plan_actions"]}
    unclassified = sorted(
        f"{t.name}.{c.name}" for t in linked if t.name not in deleted for c in t.columns
        if isinstance(c.type, (String, Text)) and f"{t.name}.{c.name}" not in scrubbed | KEPT_COLUMNS
    )
    assert unclassified == []


def test_two_runs_at_once_anonymise_each_citizen_once(app, make):
    """SKIP LOCKED: a second instance skips the rows the first holds (PostgreSQL only)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite has one writer anyway)")
    from server.retention.operations import due_for_anonymisation

    days = app.config["CASE_RETENTION_DAYS"]
    first, second = ended_citizen(make, days + 5), ended_citizen(make, days + 6)
    first_id, second_id = first.id, second.id
    db.session.close()
    with db.engine.connect() as other:
        from sqlalchemy.orm import Session

        other_session = Session(bind=other)
        held = list(other_session.scalars(
            select(Citizen.id).where(Citizen.id == first_id).with_for_update()))
        assert held == [first_id]
        assert due_for_anonymisation(NOW) == [second_id]
        db.session.rollback()
        other_session.rollback()
