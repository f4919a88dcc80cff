"""The audit log is hash-chained: tampering with any row is detected by the verifier."""
from sqlalchemy import text

from server.audit.operations import verify_chain
from server.extensions import db


def _some_audited_requests(make, login_as):
    worker = make.worker(team=make.team())
    citizen = make.citizen(worker=worker)
    client = login_as(worker)
    for _ in range(3):
        client.post(f"/citizens/{citizen.id}/enrolment-code", headers={"HX-Request": "true"})
    client.post("/citizens/999999/enrolment-code")
    return citizen


def test_an_untouched_log_verifies(make, login_as):
    _some_audited_requests(make, login_as)
    checked, broken = verify_chain()
    assert checked == 4 and broken is None


def test_an_edited_row_is_detected(make, login_as):
    _some_audited_requests(make, login_as)
    db.session.execute(text("UPDATE audit_events SET action = 'read' WHERE id = (SELECT min(id) + 1 FROM audit_events)"))
    db.session.commit()
    db.session.expire_all()
    _, broken = verify_chain()
    assert broken is not None


def test_a_deleted_row_is_detected(make, login_as):
    _some_audited_requests(make, login_as)
    db.session.execute(text("DELETE FROM audit_events WHERE id = (SELECT min(id) + 1 FROM audit_events)"))
    db.session.commit()
    _, broken = verify_chain()
    assert broken is not None


def test_requests_appending_at_once_never_fork_the_chain(app, make):
    """On PostgreSQL each append takes an advisory lock before it reads the last hash; without it
    two requests would read the same last hash and the chain would fork. Eight threads, each its
    own session, append and commit at the same moment, 25 times."""
    import threading

    import pytest

    from server.audit import operations as audit

    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL (SQLite has one writer at a time)")
    threads, rounds = 8, 25
    barrier = threading.Barrier(threads)
    errors = []

    def writer(n):
        try:
            with app.app_context():
                for i in range(rounds):
                    barrier.wait(timeout=30)
                    audit.append([audit._event("read", None, f"thread {n} round {i}", "ok", None)])
                    db.session.commit()
                db.session.remove()
        except Exception as exc:  # reported below: an exception in a thread would pass silently
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    checked, broken = verify_chain()
    print(f"audit chain: {checked} events appended by {threads} concurrent writers, first broken row: {broken}")
    assert checked == threads * rounds and broken is None
