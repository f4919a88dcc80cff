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
