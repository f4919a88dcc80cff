"""A citizen reaches only their own data, staff never use the citizen's pages, and nothing of
the team's own notes reaches a citizen response — except the art. 15 copy, which is complete."""
import json
import re

import pytest
from sqlalchemy import select

from server.appointments.models import Appointment, CalendarFeed
from server.audit.models import AuditEvent
from server.extensions import db
from tests.portal import builders

CITIZEN_GETS = ["/me/plan", "/me/appointments", "/me/calendar", "/me/worker", "/me/wishes", "/me/access-log"]
EXPORTS = ["/me/export", "/me/export.json"]


def portal_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("portal.")]


def url_for_rule(rule, appointment_id=1, token="x"):
    path = re.sub(r"<int[^:]*:appointment_id>", str(appointment_id), rule.rule)
    return path.replace("<token>", token)


def methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


@pytest.fixture
def two_citizens(make, login_as):
    """Citizen A and a look-alike B (same name, other team and worker), each with a whole case."""
    team_a, team_b = make.team(), make.team()
    worker_a, worker_b = make.worker(team=team_a), make.worker(team=team_b)
    a = make.citizen(worker=worker_a, with_login=True, first_name="Jens", last_name="Hansen")
    b = make.citizen(worker=worker_b, with_login=True, first_name="Jens", last_name="Hansen")
    canaries_a = builders.full_case(a, worker_a, "A")
    canaries_b = builders.full_case(b, worker_b, "B")
    return {"a": a, "b": b, "worker_a": worker_a, "worker_b": worker_b,
            "canaries_a": canaries_a, "canaries_b": canaries_b, "client_a": login_as(a.user)}


def appointment_of(citizen):
    return db.session.scalar(select(Appointment).where(Appointment.citizen_id == citizen.id))


def body(response) -> str:
    # ICS folds long lines (RFC 5545): unfold before looking for a value.
    return response.get_data(as_text=True).replace("\r\n ", "").replace("\\n", "\n")


def every_citizen_response(client, own_appointment, feed_token, app):
    """Every page, fragment, download and feed a citizen can get (exports excluded)."""
    responses = {}
    for path in CITIZEN_GETS:
        responses[path] = client.get(path)
        responses[path + " (htmx)"] = client.get(path, headers={"HX-Request": "true"})
    responses["ics"] = client.get(f"/me/appointments/{own_appointment.id}.ics")
    responses["feed"] = app.test_client().get(f"/calendar/{feed_token}.ics")
    responses["answer 422"] = client.post(f"/me/appointments/{own_appointment.id}/answer", data={"answer": "?"})
    responses["wishes 422"] = client.post("/me/wishes", data={"wishes": "x" * 5000})
    for path in ("/me/calendar/create", "/me/contact-request", f"/me/appointments/{own_appointment.id}/answer"):
        responses["after " + path] = client.post(path, data={"answer": "coming"}, follow_redirects=True)
    return responses


def test_the_portal_routes_are_the_ones_this_matrix_covers(app):
    endpoints = {r.endpoint for r in portal_rules(app)}
    assert endpoints == {
        "portal.plan", "portal.appointments", "portal.appointment_ics", "portal.answer", "portal.calendar",
        "portal.calendar_create", "portal.calendar_revoke", "portal.feed", "portal.worker",
        "portal.request_contact", "portal.wishes", "portal.access_log", "portal.export", "portal.export_json",
    }


@pytest.mark.parametrize("role", ["worker", "supervisor", "admin"])
def test_staff_get_403_on_every_citizen_route(app, make, login_as, role):
    team = make.team()
    staff = getattr(make, role)(team=team) if role != "admin" else make.admin()
    client = login_as(staff)
    for rule in portal_rules(app):
        if rule.endpoint == "portal.feed":
            continue
        for method in methods(rule):
            response = client.open(url_for_rule(rule), method=method)
            assert response.status_code == 403, (role, rule.rule, method, response.status_code)


def test_logged_out_visitors_are_sent_to_log_in_on_every_citizen_route(app, ctx):
    client = app.test_client()
    for rule in portal_rules(app):
        if rule.endpoint == "portal.feed":
            continue
        for method in methods(rule):
            response = client.open(url_for_rule(rule), method=method)
            assert response.status_code in (302, 401), (rule.rule, method)
            assert response.status_code == 401 or "/login" in response.headers["Location"]


def test_a_citizen_gets_404_for_another_citizens_appointment_on_every_appointment_route(app, two_citizens):
    client, b = two_citizens["client_a"], two_citizens["b"]
    theirs = appointment_of(b)
    for rule in portal_rules(app):
        if "appointment_id>" not in rule.rule:
            continue
        for method in methods(rule):
            response = client.open(url_for_rule(rule, theirs.id), method=method, data={"answer": "coming"})
            assert response.status_code == 404, (rule.rule, method)
            assert "DELT-B" not in body(response)
    db.session.expire_all()
    assert appointment_of(b).citizen_answer is None
    # The attempt is in B's log as a denied access, not a read.
    denied = db.session.scalars(select(AuditEvent).where(AuditEvent.citizen_id == b.id,
                                                         AuditEvent.outcome == "denied")).all()
    assert len(denied) == 2


def test_random_appointment_ids_answer_404(two_citizens):
    client = two_citizens["client_a"]
    for appointment_id in (0, 999_999, 2**31 - 1, 2**31, 2**70):
        assert client.get(f"/me/appointments/{appointment_id}.ics").status_code == 404
        assert client.post(f"/me/appointments/{appointment_id}/answer", data={"answer": "coming"}).status_code == 404


def test_a_citizen_login_without_a_citizen_record_reaches_nothing(app, make, login_as):
    from server.auth.models import Role

    orphan = make.user(Role.CITIZEN)
    client = login_as(orphan)
    for path in CITIZEN_GETS + EXPORTS:
        assert client.get(path).status_code == 404, path


def test_no_canary_and_nothing_of_another_citizen_reaches_any_citizen_response(app, two_citizens):
    a, b, client = two_citizens["a"], two_citizens["b"], two_citizens["client_a"]
    # B's feed exists too: its token must not open A's, nor A's show B's.
    feed_b = CalendarFeed(citizen_id=b.id)
    feed_a = CalendarFeed(citizen_id=a.id)
    db.session.add_all([feed_a, feed_b])
    db.session.commit()
    responses = every_citizen_response(client, appointment_of(a), feed_a.token, app)
    forbidden = list(two_citizens["canaries_a"].values()) + ["KANARIE-B", "DELT-B", feed_b.token]
    leaking = {}
    for name, response in responses.items():
        assert response.status_code < 500, name
        text = body(response)
        leaks = [c for c in forbidden if c in text]
        if leaks:
            leaking[name] = leaks
    print(f"\nwhat a citizen sees: {len(responses)} citizen responses (pages, htmx fragments, ICS, feed, "
          f"422s, answers) x {len(forbidden)} forbidden values ({len(two_citizens['canaries_a'])} non-shared "
          f"fields of their own case + the look-alike's): {len(leaking)} responses leak")
    assert not leaking, f"leaks: {leaking}"
    # The shared items do reach the citizen (the check above is not vacuous).
    assert "DELT-A-mål" in body(responses["/me/plan"])
    assert "DELT-A-skridt" in body(responses["/me/plan"])
    assert "DELT-A-egne-ord" in body(responses["/me/plan"])
    assert "DELT-A-gammelt-mål" not in body(responses["/me/plan"])  # only the latest version
    assert "DELT-A-kontakt" in body(responses["/me/worker"])
    assert "DELT-A-aftale" in body(responses["/me/appointments"])
    assert "DELT-A-aftale" in body(responses["ics"]) and "DELT-A-aftale" in body(responses["feed"])


@pytest.mark.parametrize("path", EXPORTS)
def test_the_self_service_export_holds_no_internal_note_and_nothing_of_the_look_alike(two_citizens, path):
    """Every record is in the citizen's copy, but no canary of a non-shared field (issue 5)."""
    response = two_citizens["client_a"].get(path)
    assert response.status_code == 200
    text = body(response)
    leaked = [f for f, c in two_citizens["canaries_a"].items() if c in text]
    assert not leaked, f"export leaks {leaked}"
    assert "DELT-A-kontakt" in text  # a shared note is the citizen's to see
    assert "KANARIE-B" not in text and "DELT-B" not in text
    assert not re.search(r"Søster B|Værested B", text)


def test_the_complete_export_for_a_municipal_request_holds_every_canary(two_citizens):
    """The complete art. 15 copy (handled by the municipality) has the team's notes too."""
    from server.portal.export import export_citizen

    text = json.dumps(export_citizen(two_citizens["a"], internal=True), ensure_ascii=False)
    missing = [f for f, c in two_citizens["canaries_a"].items() if c not in text]
    assert not missing, f"complete export misses {missing}"
    assert "KANARIE-B" not in text


def test_the_team_leader_downloads_the_complete_copy_for_own_team_only_and_it_is_logged(two_citizens, make,
                                                                                       login_as):
    """The staff route to the complete copy: the citizen's team leader only (a worker, another
    team's leader and the citizen get nothing), every canary in it, logged as an export."""
    a = two_citizens["a"]
    leader, other_leader = make.supervisor(team=a.team), make.supervisor(team=two_citizens["b"].team)
    path = f"/citizens/{a.id}/export.json"
    response = login_as(leader).get(path)
    assert response.status_code == 200 and response.is_json
    assert "attachment" in response.headers["Content-Disposition"]
    text = body(response)
    missing = [f for f, c in two_citizens["canaries_a"].items() if c not in text]
    assert not missing and "KANARIE-B" not in text
    assert response.get_json()["internal_notes_included"] is True
    assert login_as(other_leader).get(path).status_code == 404
    assert login_as(two_citizens["worker_a"]).get(path).status_code == 403
    assert two_citizens["client_a"].get(path).status_code == 403
    logged = db.session.execute(select(AuditEvent.user_id, AuditEvent.action, AuditEvent.outcome)
                                .where(AuditEvent.citizen_id == a.id, AuditEvent.subject == "citizens.export_complete")
                                ).all()
    assert sorted(logged) == sorted([(leader.id, "export", "ok"), (other_leader.id, "denied", "denied")])
    page = login_as(leader).get(f"/citizens/{a.id}").get_data(as_text=True)
    assert path in page


def test_the_export_is_audited_as_an_export(two_citizens):
    a, client = two_citizens["a"], two_citizens["client_a"]
    client.get("/me/export.json")
    client.get("/me/export")
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.citizen_id == a.id,
                                                                 AuditEvent.user_id == a.user_id)).all()
    assert actions == ["export", "export"]
