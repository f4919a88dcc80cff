"""What the citizen sees in "Hvem har set mine oplysninger" equals the audit rows about them."""
import re
from datetime import timedelta

from sqlalchemy import select

from server.audit import operations as audit
from server.audit.models import AuditEvent
from server.db import utcnow
from server.extensions import db


def stored_rows(citizen_id):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.citizen_id == citizen_id)
                              .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())).all()


def shown(response) -> list[str]:
    return re.findall(r'data-audit-at="([^"]+)"', response.get_data(as_text=True))


def test_the_access_log_shows_exactly_the_audit_rows_after_worker_and_citizen_requests(
        make, login_as, me, citizen, worker, team):
    supervisor = make.supervisor(team=team)
    stranger = make.worker(team=make.team())
    staff = login_as(worker)
    staff.get(f"/citizens/{citizen.id}")
    staff.get(f"/citizens/{citizen.id}/plan")
    staff.post(f"/citizens/{citizen.id}/enrolment-code")
    login_as(supervisor).get(f"/citizens/{citizen.id}")
    login_as(stranger).get(f"/citizens/{citizen.id}")  # denied: logged for the citizen too
    me.get("/me/plan")
    me.post("/me/wishes", data={"wishes": "Et job"})
    me.get("/me/export.json")

    response = me.get("/me/access-log")
    db.session.expire_all()
    rows = stored_rows(citizen.id)
    assert len(rows) >= 9
    assert shown(response) == [r.at.isoformat() for r in rows]  # count, dates and order
    page = response.get_data(as_text=True)
    for label in ("En ICM-medarbejder", "En teamleder", "Dig selv", "Hentede en kopi af dine oplysninger",
                  "Ændrede dine oplysninger", "Forsøgte at se dine oplysninger, men fik ikke lov"):
        assert label in page, label
    assert "Mette Medarbejder" not in page  # roles, never names
    assert supervisor.name not in page and stranger.name not in page
    assert f"{len(rows)} registreringer i alt" in page


def test_the_citizens_own_view_of_the_log_is_in_the_log(me, citizen):
    first = shown(me.get("/me/access-log"))
    second = shown(me.get("/me/access-log"))
    assert len(first) == 1 and len(second) == 2
    assert second[1] == first[0]


def test_the_log_pages_newest_first_and_the_pages_together_equal_the_audit_rows(app, me, citizen):
    with app.test_request_context():
        base = utcnow() - timedelta(days=3)
        for n in range(120):
            audit.record("read", citizen_id=citizen.id, subject="citizens.show", user=None)
        events = audit.g.pop("audit_events")
        for n, event in enumerate(events):
            event.at = base + timedelta(minutes=n)
        audit.append(events)
        db.session.commit()
    page1 = me.get("/me/access-log")
    db.session.expire_all()
    rows = [r.at.isoformat() for r in stored_rows(citizen.id)]
    assert shown(page1) == rows[:50]
    page3 = me.get("/me/access-log?side=3")
    db.session.expire_all()
    rows = [r.at.isoformat() for r in stored_rows(citizen.id)]
    assert len(rows) == 122
    assert shown(page3) == rows[100:150]
    assert "Side 3 af 3" in page3.get_data(as_text=True)


def test_nonsense_page_numbers_do_not_break_the_log(me):
    for value in ("0", "-4", "abc", "99999"):
        assert me.get(f"/me/access-log?side={value}").status_code == 200
